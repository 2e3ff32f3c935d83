/**
 * The organisation's case settings (PUT /admin/case-settings): the root causes cases are resolved
 * with (reported ranked, a Pareto of what goes wrong) and the working hours deadlines count in.
 * The defaults are what the service-quality standards behind manyi group complaints by.
 */
import * as z from '../zod';
import { languageTagSchema, timeZoneSchema } from '../primitives';
import { DEFAULT_TIME_ZONE } from '../time-zone';
import type { RootCause } from './case';
import { DEFAULT_WORKING_HOURS, workingHoursSchema, type WorkingHours } from './sla-schema';

const label = z.record(languageTagSchema, z.string().check(z.trim(), z.minLength(1), z.maxLength(100)));

export const caseSettingsSchema = z.strictObject({
  rootCauses: z
    .array(z.strictObject({ id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'expected an id such as staff-attitude' })), label }))
    .check(
      z.minLength(1, { error: 'give at least one root cause' }),
      z.maxLength(100),
      z.refine((causes) => new Set(causes.map((c) => c.id)).size === causes.length, { error: 'root-cause ids must be unique' }),
    ),
  workingHours: z._default(workingHoursSchema, DEFAULT_WORKING_HOURS),
  /** Where the working hours are read (the organisation's time zone). */
  timeZone: z._default(timeZoneSchema, DEFAULT_TIME_ZONE),
  /** The working-day calendar deadlines count on (its id in functions/domain/commitments/calendars). */
  calendar: z._default(z.string().check(z.regex(/^[a-z]{2,8}$/)), 'cn'),
});
export type CaseSettings = z.output<typeof caseSettingsSchema>;

export const DEFAULT_ROOT_CAUSES: readonly RootCause[] = [
  { id: 'staff-attitude', label: { 'zh-CN': '服务态度', en: 'Staff attitude' } },
  { id: 'waiting-time', label: { 'zh-CN': '等候时间', en: 'Waiting time' } },
  { id: 'competence', label: { 'zh-CN': '专业能力', en: 'Competence' } },
  { id: 'process', label: { 'zh-CN': '流程与制度', en: 'Process and policy' } },
  { id: 'fees', label: { 'zh-CN': '收费', en: 'Fees' } },
  { id: 'product', label: { 'zh-CN': '产品', en: 'Product' } },
  { id: 'facilities', label: { 'zh-CN': '环境设施', en: 'Facilities' } },
  { id: 'system', label: { 'zh-CN': '系统故障', en: 'Systems' } },
  { id: 'communication', label: { 'zh-CN': '沟通', en: 'Communication' } },
  { id: 'customer', label: { 'zh-CN': '客户原因', en: 'On the customer\'s side' } },
  { id: 'other', label: { 'zh-CN': '其他', en: 'Other' } },
];

export const defaultCaseSettings = (): CaseSettings => ({
  rootCauses: DEFAULT_ROOT_CAUSES.map((cause) => ({ ...cause, label: { ...cause.label } })),
  workingHours: { ...DEFAULT_WORKING_HOURS } as WorkingHours,
  timeZone: DEFAULT_TIME_ZONE,
  calendar: 'cn',
});
