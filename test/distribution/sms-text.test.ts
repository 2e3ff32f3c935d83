import { describe, expect, it } from 'vitest';
import { composeSms, estimateCost, nameForSms, normaliseSignature, smsConfigSchema, smsEncoding, smsSegments } from '../../functions/domain/distribution/sms-text';

describe('smsEncoding', () => {
  it('is GSM-7 for the basic set and extension table, UCS-2 for anything else', () => {
    expect(smsEncoding('Hello @£$¥ èéùìò ÄÖÑÜ§¿ äöñüà Δ_ΦΓΛΩΠΨΣΘΞ')).toBe('GSM-7');
    expect(smsEncoding('^{}\\[~]|€')).toBe('GSM-7');
    expect(smsEncoding('price `5`')).toBe('UCS-2'); // the backtick is not in GSM 03.38
    expect(smsEncoding('【Acme】Hello')).toBe('UCS-2');
    expect(smsEncoding('您好')).toBe('UCS-2');
    expect(smsEncoding('ça va')).toBe('UCS-2'); // lower-case ç is not in the basic set (only Ç)
  });
});

describe('smsSegments', () => {
  it('fits 160 GSM-7 septets in one segment, 153 per part beyond', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1, perSegment: 160 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2, perSegment: 153 });
    expect(smsSegments('a'.repeat(153 * 2)).segments).toBe(2);
    expect(smsSegments('a'.repeat(153 * 2 + 1)).segments).toBe(3);
    expect(smsSegments('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 0, perSegment: 160 });
  });

  it('counts extension characters as two septets and never splits them', () => {
    expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1, perSegment: 160 });
    expect(smsSegments('€'.repeat(80) + 'a')).toMatchObject({ units: 161, segments: 2 });
    expect(smsSegments('{}'.repeat(10)).units).toBe(40);
    // 152 + 2 + 152 = 306 septets would fit two parts of 153, but the € cannot straddle them.
    expect(smsSegments('a'.repeat(152) + '€' + 'a'.repeat(152))).toMatchObject({ units: 306, segments: 3 });
  });

  it('fits 70 UCS-2 code units in one segment, 67 per part beyond', () => {
    expect(smsSegments('中'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1, perSegment: 70 });
    expect(smsSegments('中'.repeat(71))).toEqual({ encoding: 'UCS-2', units: 71, segments: 2, perSegment: 67 });
    expect(smsSegments('中'.repeat(134)).segments).toBe(2);
    expect(smsSegments('中'.repeat(135)).segments).toBe(3);
  });

  it('lets 【】 force UCS-2 and counts an emoji as two code units', () => {
    const latin = 'a'.repeat(69);
    expect(smsSegments(latin).segments).toBe(1);
    expect(smsSegments(`【X】${latin}`)).toMatchObject({ encoding: 'UCS-2', units: 72, segments: 2 });
    expect(smsSegments('😀'.repeat(35))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments('a' + '😀'.repeat(35))).toMatchObject({ units: 71, segments: 2 });
    // 66 + a surrogate pair: the pair moves to the next part.
    expect(smsSegments('中'.repeat(66) + '😀' + '中'.repeat(66))).toMatchObject({ units: 134, segments: 3 });
  });
});

describe('estimateCost', () => {
  it('multiplies segments, price and recipients without float noise', () => {
    expect(estimateCost(3, 0.045)).toBe(0.135);
    expect(estimateCost(smsSegments('中'.repeat(71)), 0.05, 1000)).toBe(100);
    expect(() => estimateCost(-1, 0.05)).toThrow(RangeError);
  });
});

describe('normaliseSignature', () => {
  it('adds missing brackets, keeps present ones, refuses empty or broken ones', () => {
    expect(normaliseSignature('示例银行')).toEqual({ ok: true, signature: '【示例银行】' });
    expect(normaliseSignature(' 【示例银行】 ')).toEqual({ ok: true, signature: '【示例银行】' });
    expect(normaliseSignature('').ok).toBe(false);
    expect(normaliseSignature('【】').ok).toBe(false);
    expect(normaliseSignature('【示例银行').ok).toBe(false);
    expect(normaliseSignature('行').ok).toBe(false);
  });
});

describe('composeSms', () => {
  const template = { 'zh-CN': '{name}您好，请评价本次服务：{link}', en: 'Hello {name}, please rate our service: {link}' };
  const link = 'https://m.example.cn/s/Ab3xY9';
  const compose = (lang: string, values: { name?: string; link?: string; unit?: string }, marketing: boolean, t: Record<string, string> = template) =>
    composeSms({ signature: '【示例银行】', template: t, lang, fallbackLang: 'zh-CN', values, marketing });

  it('starts with the signature and ends with the unsubscribe hint of the message language when marketing', () => {
    expect(compose('zh-CN', { name: '张三', link }, true)).toBe(`【示例银行】张三您好，请评价本次服务：${link} 回T退订`);
    expect(compose('en', { name: 'Alice', link }, true)).toBe(`【示例银行】Hello Alice, please rate our service: ${link} Reply STOP to opt out`);
  });

  it.each([
    ['a link', '张三 https://evil.example/win'],
    ['a domain', '领奖 evil.cn'],
    ['a phone number', '客服95588'],
    ['a fake signature and a line break', '【某某银行】\n您已中奖'],
    ['a very long text', '张'.repeat(21)],
  ])('never carries a contact name holding %s as it is (the greeting goes neutral or the brackets go)', (_label, name) => {
    const text = compose('zh-CN', { name, link }, false, { 'zh-CN': '尊敬的{name}，请评价：{link}' });
    expect(text.startsWith('【示例银行】')).toBe(true);
    expect(text.slice('【示例银行】'.length)).not.toMatch(/【|】|\n|evil|95588/);
    expect(text).toContain(link);
  });

  it('keeps an ordinary name, with its spaces tidied', () => {
    expect(nameForSms('  王  小明 ')).toBe('王 小明');
    expect(nameForSms('Mary-Jane O\'Neil')).toBe("Mary-Jane O'Neil");
    expect(nameForSms('【张三】')).toBe('张三');
    expect(compose('zh-CN', { name: '【张三】', link }, false)).toBe(`【示例银行】张三您好，请评价本次服务：${link}`);
  });

  it('has no hint when not marketing', () => {
    expect(compose('zh-CN', { name: '张三', link }, false)).toBe(`【示例银行】张三您好，请评价本次服务：${link}`);
    expect(compose('en', { name: 'Alice', link }, false)).toBe(`【示例银行】Hello Alice, please rate our service: ${link}`);
  });

  it('drops a missing name tidily, or uses the neutral noun after an honorific', () => {
    expect(compose('zh-CN', { link }, false)).toBe(`【示例银行】您好，请评价本次服务：${link}`);
    expect(compose('en', { name: '  ', link }, false)).toBe(`【示例银行】Hello, please rate our service: ${link}`);
    expect(compose('zh-CN', { link }, false, { 'zh-CN': '尊敬的{name}，您好！请评价本次服务：{link}' })).toBe(`【示例银行】尊敬的客户，您好！请评价本次服务：${link}`);
    expect(compose('en', { link }, false, { en: '{name}, thank you for visiting. Rate us: {link}' })).toBe(`【示例银行】thank you for visiting. Rate us: ${link}`);
    expect(compose('en', { link }, false, { en: 'Hi {name} welcome back, rate us: {link}' })).toBe(`【示例银行】Hi welcome back, rate us: ${link}`);
  });

  it('fills {unit}, picks the template by language with fallbacks', () => {
    const t = { 'zh-CN': '尊敬的{name}，请评价{unit}的服务：{link}', en: 'Dear {name}, please rate {unit}: {link}' };
    expect(compose('zh-CN', { link, unit: '朝阳支行' }, false, t)).toBe(`【示例银行】尊敬的客户，请评价朝阳支行的服务：${link}`);
    expect(compose('en-GB', { link, unit: 'Chaoyang branch' }, true, t)).toBe(`【示例银行】Dear customer, please rate Chaoyang branch: ${link} Reply STOP to opt out`);
    expect(compose('zh', { name: '王五', link, unit: '朝阳支行' }, true, t)).toBe(`【示例银行】尊敬的王五，请评价朝阳支行的服务：${link} 回T退订`);
    expect(compose('fr', { name: 'Zoé', link, unit: '朝阳支行' }, true, t)).toBe(`【示例银行】尊敬的Zoé，请评价朝阳支行的服务：${link} 回T退订`);
  });

  it('adds brackets to a bare signature and does not repeat a hint the template already ends with', () => {
    const text = composeSms({ signature: '示例银行', template: { 'zh-CN': '请评价：{link} 回T退订' }, lang: 'zh-CN', fallbackLang: 'zh-CN', values: { link }, marketing: true });
    expect(text).toBe(`【示例银行】请评价：${link} 回T退订`);
  });

  it('throws for a missing link or unit and for unknown placeholders', () => {
    expect(() => compose('zh-CN', { name: '张三' }, false)).toThrow(/\{link\}/);
    expect(() => compose('zh-CN', { link }, false, { 'zh-CN': '{unit}：{link}' })).toThrow(/\{unit\}/);
    expect(() => compose('zh-CN', { link }, false, { 'zh-CN': '{nmae}您好 {link}' })).toThrow(/\{nmae\}/);
    expect(() => composeSms({ signature: '', template, lang: 'en', fallbackLang: 'en', values: { link }, marketing: false })).toThrow(/signature/);
  });
});

describe('smsConfigSchema', () => {
  it('fills defaults and brackets the signature', () => {
    expect(smsConfigSchema.parse({ signature: '示例银行', template: { 'zh-CN': '请评价：{link}' } })).toEqual({
      signature: '【示例银行】',
      template: { 'zh-CN': '请评价：{link}' },
      marketing: true,
      reply: false,
    });
  });

  it('names the template language with an unknown placeholder or a missing {link}', () => {
    const result = smsConfigSchema.safeParse({ signature: '【示例银行】', template: { 'zh-CN': '{name}您好 {link}', en: 'Hi {firstName}' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['template.en', 'unknown placeholder {firstName}; use {name}, {link} or {unit}'],
      ['template.en', 'the template must contain {link} (or set reply: true)'],
    ]);
  });

  it('allows a template without {link} for reply surveys, and rejects bad signatures and rates', () => {
    expect(smsConfigSchema.safeParse({ signature: '示例银行', template: { 'zh-CN': '请回复0-10评分' }, reply: true }).success).toBe(true);
    expect(smsConfigSchema.safeParse({ signature: '  ', template: { en: '{link}' } }).error?.issues[0]?.message).toBe('the signature must not be empty');
    expect(smsConfigSchema.safeParse({ signature: 'Acme', template: {} }).success).toBe(false);
    expect(smsConfigSchema.safeParse({ signature: 'Acme', template: { en: '{link}' }, ratePerMinute: 1.5 }).success).toBe(false);
    expect(smsConfigSchema.safeParse({ signature: 'Acme', template: { en: '{link}' }, ratePerMinute: 600 }).success).toBe(true);
  });
});
