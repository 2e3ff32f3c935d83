import { describe, expect, it } from 'vitest';
import { classifyInbound, isWrittenFeedback, replyTexts } from '../../functions/domain/distribution/inbound';
import { smsSegments } from '../../functions/domain/distribution/sms-text';

describe('classifyInbound', () => {
  it.each(['T', 't', 'TD', '  td ', 'Td', 'ＴＤ', 'ｔｄ', 'Ｔ', 'STOP', 'stop', 'Stop.', 'ＳＴＯＰ', '退订', ' 退订 ', 'UNSUBSCRIBE', '\tT\n'])('%j unsubscribes', (body) => {
    expect(classifyInbound(body)).toEqual({ kind: 'opt-out' });
  });

  it.each(['START', 'start', ' Start ', 'ＳＴＡＲＴ', '订阅'])('%j subscribes again', (body) => {
    expect(classifyInbound(body)).toEqual({ kind: 'opt-in' });
  });

  it.each([
    ['0', 0],
    ['10', 10],
    [' 7 ', 7],
    ['１０', 10],
    ['９', 9],
    ['9分', 9],
    ['8 分', 8],
  ])('%j is the digit %i', (body, value) => {
    expect(classifyInbound(body)).toEqual({ kind: 'digit', value });
  });

  it.each(['11', '-1', '3.5', '07', '100', 'STOP please', 'TDD', 'T D', 'thanks!', '很满意', ''])('%j is other', (body) => {
    expect(classifyInbound(body)).toEqual({ kind: 'other' });
  });
});

describe('replyTexts', () => {
  it('answers in Chinese for zh and English otherwise', () => {
    const zh = replyTexts('zh-CN');
    expect(zh.help).toBe('请回复0-10之间的一个数字为本次服务评分（10分为非常满意），回T退订。');
    expect(zh.optOut).toContain('退订');
    expect(replyTexts('zh-Hans').thanks).toBe(zh.thanks);
    const en = replyTexts('en');
    expect(en.help).toBe('Reply with a number from 0 to 10 to rate our service (10 = very satisfied). Reply T or STOP to opt out.');
    expect(replyTexts('fr').optOut).toBe(en.optOut);
    expect(replyTexts('en', { min: 1, max: 5 }).help).toContain('from 1 to 5');
  });

  it('name only keywords that classifyInbound understands and fit one segment', () => {
    expect(classifyInbound('订阅')).toEqual({ kind: 'opt-in' }); // zh optOut says 回复"订阅"
    expect(replyTexts('zh-CN').optOut).toContain('"订阅"');
    expect(replyTexts('en').optOut).toContain('START');
    expect(classifyInbound('START')).toEqual({ kind: 'opt-in' });
    for (const lang of ['zh-CN', 'en']) {
      const texts = replyTexts(lang);
      for (const text of Object.values(texts)) expect(smsSegments(text).segments).toBe(1);
    }
  });
});

describe('isWrittenFeedback', () => {
  it.each([
    ['师傅态度很差', true],
    ['still waiting for the engineer', true],
    ['太慢', true],
    ['好的', false],
    ['好的！', false],
    [' ok. ', false],
    ['Thank you!', false],
    ['?', false],
    ['1a', false],
    ['谢', false],
    ['好的，谢谢', false],
    ['收到，谢谢', false],
    ['好的谢谢', false],
    ['OK thanks', false],
    ['ok 👍', false],
    ['thank you!', false],
    ['不好', true],
    ['不好意思，还没修好', true],
    ['not ok', true],
    ['好的，但是师傅没来', true],
  ])('%j is feedback: %s', (body, expected) => {
    expect(isWrittenFeedback(body)).toBe(expected);
  });
});
