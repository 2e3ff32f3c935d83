import type { IpaQuadrant } from '../domain/stats/ipa-quadrants';

/** The words of the pages themselves (questionnaire texts come from the questionnaire). */
const messages = {
  'zh-CN': {
    submit: '提交',
    required: '必答',
    optional: '选答',
    errorSummary: '请检查以下问题：',
    'error.required': '请回答此题。',
    'error.out_of_range': '请选择量表中的一个分值。',
    'error.not_a_number': '请选择量表中的一个分值。',
    'error.invalid_option': '请选择一个选项。',
    'error.too_long': '内容过长。',
    'error.unknown_question': '未知的问题。',
    'error.invalid': '答案无效。',
    'error.allocation_total': '各项分值之和须等于总分。',
    points: '分',
    allocationHint: '请分配共 {total} 分，各项合计须等于 {total} 分。',
    allocationSum: '您上次填写的合计为 {sum} 分。',
    'pair.adequate': '最低可接受',
    'pair.expected': '期望',
    'pair.experienced': '实际感受',
    pairHint: '每条陈述请打两个分：“期望”是您认为优秀的服务在这方面应当做到的程度，“实际感受”是我们实际做到的程度。',
    pairHintAdequate: '“最低可接受”是您能接受的最低程度。',
    tangibles: '有形性（设施、设备、人员形象）',
    reliability: '可靠性（准确、可靠地履行承诺）',
    responsiveness: '反应性（及时、主动地帮助顾客）',
    assurance: '保证性（专业知识、礼貌与可信度）',
    empathy: '移情性（关心并个别关注顾客）',
    thanksTitle: '感谢您的参与',
    thanksBody: '您的回答已提交。我们会认真对待每一条意见。',
    answeredTitle: '您已完成本问卷',
    answeredBody: '此链接的问卷已经提交过，无需重复填写。感谢您的支持。',
    expiredTitle: '问卷链接已过期',
    expiredBody: '很抱歉，此问卷已结束。',
    notFoundTitle: '未找到问卷',
    notFoundBody: '链接无效，请检查短信或邮件中的完整链接。',
    language: 'English',
    privacy: '您的回答仅用于改进服务，我们将严格保密。',
  },
  en: {
    submit: 'Submit',
    required: 'required',
    optional: 'optional',
    errorSummary: 'Please check the following:',
    'error.required': 'Please answer this question.',
    'error.out_of_range': 'Please choose a point on the scale.',
    'error.not_a_number': 'Please choose a point on the scale.',
    'error.invalid_option': 'Please choose one of the options.',
    'error.too_long': 'This answer is too long.',
    'error.unknown_question': 'Unknown question.',
    'error.invalid': 'This answer is not valid.',
    'error.allocation_total': 'The points must add up to the total.',
    points: 'points',
    allocationHint: 'Spread {total} points; they must add up to {total}.',
    allocationSum: 'The points you entered last time add up to {sum}.',
    'pair.adequate': 'Minimum acceptable',
    'pair.expected': 'Expected',
    'pair.experienced': 'Experienced',
    pairHint: 'Rate each statement twice: "Expected" is how far excellent service should do this, "Experienced" is how far we actually do it.',
    pairHintAdequate: '"Minimum acceptable" is the least you would accept.',
    tangibles: 'Tangibles (facilities, equipment, appearance of staff)',
    reliability: 'Reliability (performing the promised service dependably and accurately)',
    responsiveness: 'Responsiveness (willingness to help and prompt service)',
    assurance: 'Assurance (knowledge, courtesy, ability to inspire trust)',
    empathy: 'Empathy (caring, individual attention)',
    thanksTitle: 'Thank you',
    thanksBody: 'Your answers have been submitted. Every opinion helps us improve.',
    answeredTitle: 'Already answered',
    answeredBody: 'This survey has already been answered from this link. Thank you for your support.',
    expiredTitle: 'This survey has closed',
    expiredBody: 'Sorry, this survey link has expired.',
    notFoundTitle: 'Survey not found',
    notFoundBody: 'This link is not valid. Please check that you opened the complete link from your message.',
    language: '中文',
    privacy: 'Your answers are used only to improve our service and are kept confidential.',
  },
} as const;

export type MessageKey = keyof (typeof messages)['en'];
export const PAGE_LANGUAGES = ['zh-CN', 'en'] as const;

/** UI text in `lang`; languages the pages do not speak fall back to English. `{name}` placeholders take `values`. */
export function t(lang: string, key: MessageKey, values: Readonly<Record<string, string | number>> = {}): string {
  const table = (messages as Record<string, Record<MessageKey, string>>)[lang] ?? messages.en;
  return fill(table[key], values);
}

/** A text's `{name}` placeholders filled from `values` (unknown ones stay as they are). */
export const fill = (template: string, values: Readonly<Record<string, string | number>> = {}): string =>
  template.replace(/\{(\w+)\}/g, (placeholder, name: string) => (name in values ? String(values[name]) : placeholder));

/**
 * The IPA quadrants' names, for every page that shows an importance-performance grid (key drivers,
 * gaps). English keeps the domain's own terms; 可能过度投入 is the usual rendering of "possible overkill".
 */
const ipaQuadrantNames: Record<string, Record<IpaQuadrant, string>> = {
  'zh-CN': { 'concentrate here': '重点改进', 'keep up the good work': '继续保持', 'low priority': '次要改进', 'possible overkill': '可能过度投入' },
  en: { 'concentrate here': 'concentrate here', 'keep up the good work': 'keep up the good work', 'low priority': 'low priority', 'possible overkill': 'possible overkill' },
};

/** The name of an IPA quadrant in `lang` (English for languages the pages do not speak). */
export function ipaQuadrantName(lang: string, quadrant: IpaQuadrant): string {
  return (ipaQuadrantNames[lang] ?? ipaQuadrantNames.en!)[quadrant];
}
