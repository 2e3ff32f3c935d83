/**
 * The store modules an entry may name in `dynamodb(...)` (./dynamodb): one per entity of
 * functions/store/. A bundle holds only the ones its entry names (each module is free of side
 * effects, so esbuild drops the others).
 */
export { campaignItems } from '../store/campaigns';
export { caseItems } from '../store/cases';
export { checkpointItems } from '../store/checkpoints';
export { commitmentItems } from '../store/commitments';
export { metricItems } from '../store/metrics';
export { contactItems } from '../store/contacts';
export { invitationItems } from '../store/invitations';
export { orgUnitItems } from '../store/org-units';
export { reportItems } from '../store/reports';
export { responseItems } from '../store/responses';
export { serviceEventItems } from '../store/service-events';
export { smsItems } from '../store/sms';
export { surveyItems } from '../store/surveys';
export { userItems } from '../store/users';
export { auditItems } from '../store/audit';
export { privacyItems } from '../store/privacy';
export { retentionItems } from '../store/retention';
export { fieldSealingItems } from '../store/field-sealing';
