import { describe, expect, it } from 'vitest';
import {
  contactIdentity,
  contentFingerprint,
  normaliseContact,
  parseContactRows,
  type NormalisedContact,
} from '../../functions/domain/distribution/contacts';
import { normalisePhone } from '../../functions/domain/distribution/phone';
import { DomainError } from '../../functions/domain/errors';

describe('normalisePhone', () => {
  it('reads national numbers in the default region and returns E.164', () => {
    expect(normalisePhone('138 1234 5678')).toEqual({ ok: true, e164: '+8613812345678' });
    expect(normalisePhone('138-1234-5678', 'CN')).toEqual({ ok: true, e164: '+8613812345678' });
    expect(normalisePhone('0086 138 1234 5678')).toEqual({ ok: true, e164: '+8613812345678' });
    expect(normalisePhone('１３８１２３４５６７８')).toEqual({ ok: true, e164: '+8613812345678' });
    expect(normalisePhone('(415) 555-2671', 'US')).toEqual({ ok: true, e164: '+14155552671' });
  });

  it('keeps the country of an international number', () => {
    expect(normalisePhone('+1 415 555 2671')).toEqual({ ok: true, e164: '+14155552671' });
    expect(normalisePhone('+44 20 7946 0958', 'CN')).toEqual({ ok: true, e164: '+442079460958' });
  });

  it('rejects invalid numbers with a reason', () => {
    expect(normalisePhone('12345')).toEqual({ ok: false, reason: 'not a valid number for region CN' });
    expect(normalisePhone('12345', 'US')).toEqual({ ok: false, reason: 'not a valid number for region US' });
    expect(normalisePhone('+1 555')).toEqual({ ok: false, reason: 'not a valid international number' });
    expect(normalisePhone('call me')).toEqual({ ok: false, reason: 'not a phone number' });
    expect(normalisePhone('   ')).toEqual({ ok: false, reason: 'empty' });
  });
});

describe('parseContactRows from CSV', () => {
  const csv = [
    'name,phone,email,orgUnitId,externalId,grade,timeZone,lang,city,vip',
    '张三,138 1234 5678,,b1,C001,A,,zh-cn,北京,true',
    '李四,12345,,b1,C002,B,,,上海,',
    'Alice,+1 415 555 2671,ALICE@Example.com,b2,,,America/New_York,en,,',
    'Bob,,,b2,C004,,,,,',
    'Carol,13912345678,,,C005,,Mars/Olympus,,,',
  ].join('\n');

  it('accepts good rows, rejects bad ones with a reason naming the column', () => {
    const rows = parseContactRows({ csv }, { defaultRegion: 'CN' });
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]?.contact).toEqual({
      name: '张三',
      phone: '+8613812345678',
      orgUnitId: 'b1',
      externalId: 'C001',
      grade: 'A',
      timeZone: 'Asia/Shanghai',
      lang: 'zh-CN',
      attributes: { city: '北京', vip: 'true' },
    });
    expect(rows[0]?.reason).toBeUndefined();
    expect(rows[1]).toMatchObject({ row: 2, reason: 'phone: not a valid number for region CN' });
    expect(rows[1]?.contact).toBeUndefined();
    expect(rows[2]?.contact).toEqual({
      name: 'Alice',
      phone: '+14155552671',
      email: 'alice@example.com',
      orgUnitId: 'b2',
      timeZone: 'America/New_York',
      lang: 'en',
      attributes: {},
    });
    expect(rows[3]?.reason).toBe('phone: give a phone number or an e-mail address');
    expect(rows[4]?.reason).toBe('orgUnitId: required; timeZone: unknown IANA time zone');
  });

  it('turns extra columns into string attributes, omits empty cells, matches known headers in any case', () => {
    const rows = parseContactRows({ csv: 'Phone,ORGUNITID,客户经理,policyCount,segment\n13812345678,b1,王五,3,\n' });
    expect(rows).toEqual([{ row: 1, contact: { phone: '+8613812345678', orgUnitId: 'b1', timeZone: 'Asia/Shanghai', attributes: { 客户经理: '王五', policyCount: '3' } } }]);
  });

  it('counts data rows from 1, skipping blank lines', () => {
    const rows = parseContactRows({ csv: 'phone,orgUnitId\n\n13812345678,b1\n\nnot-a-phone,b1\n' });
    expect(rows.map((r) => [r.row, r.reason ?? 'ok'])).toEqual([
      [1, 'ok'],
      [2, 'phone: not a phone number'],
    ]);
  });

  it('rejects a repeated identity within one upload as a duplicate of the first row', () => {
    const rows = parseContactRows({ csv: 'phone,orgUnitId,externalId\n13812345678,b1,\n138 1234 5678,b2,\n13912345678,b1,X1\n13712345678,b1,X1\n' });
    expect(rows.map((r) => r.reason ?? 'ok')).toEqual(['ok', 'phone: duplicate of row 1', 'ok', 'externalId: duplicate of row 3']);
  });

  it('refuses an unreadable file as a whole', () => {
    expect(() => parseContactRows({ csv: '' })).toThrow(DomainError);
    try {
      parseContactRows({ csv: 'phone,orgUnitId\n13812345678\n' });
      expect.unreachable('a ragged row must be refused');
    } catch (error) {
      expect((error as DomainError).problems[0]).toMatchObject({ path: 'csv', message: expect.stringMatching(/Invalid Record Length.*line 2/) });
    }
    expect(() => parseContactRows({ csv: 'phone,Phone\n1,2\n' })).toThrow(DomainError);
    expect(() => parseContactRows({})).toThrow(DomainError);
    expect(() => parseContactRows({ csv: 'phone\n', json: { contacts: [] } })).toThrow(DomainError);
  });
});

describe('parseContactRows from JSON', () => {
  it('validates each contact on its own and keeps typed attributes', () => {
    const rows = parseContactRows({
      json: {
        contacts: [
          { phone: '13812345678', orgUnitId: 'b1', attributes: { vip: true, policies: 3, city: '北京' }, grade: 2 },
          { phone: '13812345679', orgUnitId: 'b1', emial: 'typo@example.com' },
          { email: 'not-an-address', orgUnitId: 'b1' },
          { phone: '', email: 'x@example.com', orgUnitId: 'b1', timeZone: 'asia/shanghai' },
        ],
      },
    });
    expect(rows[0]?.contact).toEqual({ phone: '+8613812345678', orgUnitId: 'b1', grade: '2', timeZone: 'Asia/Shanghai', attributes: { vip: true, policies: 3, city: '北京' } });
    expect(rows[1]?.reason).toBe('emial: unknown field');
    expect(rows[2]?.reason).toBe('email: not a valid e-mail address');
    expect(rows[3]?.contact).toEqual({ email: 'x@example.com', orgUnitId: 'b1', timeZone: 'Asia/Shanghai', attributes: {} });
  });

  it('requires the {"contacts": [...]} shape', () => {
    expect(() => parseContactRows({ json: [{ phone: '13812345678', orgUnitId: 'b1' }] })).toThrow(DomainError);
    expect(() => parseContactRows({ json: { contacts: [], extra: 1 } })).toThrow(DomainError);
    expect(parseContactRows({ json: { contacts: [] } })).toEqual([]);
  });

  it('uses the given default region for national numbers', () => {
    const result = normaliseContact({ phone: '(415) 555-2671', orgUnitId: 'us1' }, { defaultRegion: 'US' });
    expect(result).toEqual({ ok: true, contact: { phone: '+14155552671', orgUnitId: 'us1', timeZone: 'Asia/Shanghai', attributes: {} } });
  });
});

describe('identity and fingerprint', () => {
  const base: NormalisedContact = { orgUnitId: 'b1', timeZone: 'Asia/Shanghai', attributes: { city: '北京', vip: 'true' }, phone: '+8613812345678', email: 'a@example.com' };

  it('is the externalId, else the phone, else the e-mail address', () => {
    expect(contactIdentity({ ...base, externalId: 'C001' })).toEqual({ kind: 'externalId', value: 'C001' });
    expect(contactIdentity(base)).toEqual({ kind: 'phone', value: '+8613812345678' });
    expect(contactIdentity({ email: 'a@example.com' })).toEqual({ kind: 'email', value: 'a@example.com' });
  });

  it('fingerprints content, not key order or the spelling of defaults', () => {
    const a = normaliseContact({ phone: '138 1234 5678', orgUnitId: 'b1', attributes: { vip: 'true', city: '北京' } });
    const b = normaliseContact({ attributes: { city: '北京', vip: 'true' }, orgUnitId: 'b1', timeZone: 'Asia/Shanghai', phone: '+86 138-1234-5678' });
    if (!a.ok || !b.ok) throw new Error('expected valid contacts');
    expect(contentFingerprint(a.contact)).toMatch(/^[0-9a-f]{64}$/);
    expect(contentFingerprint(a.contact)).toBe(contentFingerprint(b.contact));
    expect(contentFingerprint({ ...a.contact, attributes: { city: '上海', vip: 'true' } })).not.toBe(contentFingerprint(a.contact));
    expect(contentFingerprint({ ...a.contact, grade: 'A' })).not.toBe(contentFingerprint(a.contact));
  });
});
