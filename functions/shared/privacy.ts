/**
 * Personal data (phone numbers, names, e-mail addresses) never reaches a log or a report in clear.
 */

/** +8613812345678 -> +86138****5678: enough to recognise, not enough to call. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s+/g, '');
  if (digits.length <= 6) return '*'.repeat(digits.length);
  const keepEnd = 4;
  const keepStart = Math.min(digits.length - keepEnd - 2, digits.startsWith('+') ? 6 : 3);
  return digits.slice(0, keepStart) + '*'.repeat(digits.length - keepStart - keepEnd) + digits.slice(-keepEnd);
}

/** 张三丰 -> 张**, Alice Smith -> A**** S**** */
export function maskName(name: string): string {
  return name
    .split(/(\s+)/)
    .map((part) => (/\s/.test(part) || part.length === 0 ? part : Array.from(part)[0] + '*'.repeat(Math.max(1, Array.from(part).length - 1))))
    .join('');
}

/** alice@example.com -> a****@example.com */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}${'*'.repeat(Math.max(1, local.length - 1))}@${domain}`;
}

const maskers: Record<string, (value: string) => string> = {
  phone: maskPhone,
  to: maskPhone,
  from: maskPhone,
  name: maskName,
  contactName: maskName,
  email: maskEmail,
};

/** Keys whose values are secrets and are dropped entirely. */
const secretKeys = new Set(['token', 'authorization', 'adminToken', 'password', 'newPassword', 'temporaryPassword', 'cookie', 'csrfToken']);

/** TypeError, ConditionalCheckFailedException: an error's `name` is a class name, not a person's. */
const ERROR_CLASS_NAME = /^[A-Z][A-Za-z0-9]*(Error|Exception)$/;

/**
 * A JSON replacer that masks personal data and drops secrets wherever they appear in a log entry.
 * (Powertools calls it without the holding object, so an error's name is recognised by its shape.)
 */
export function redactPersonalData(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (key === 'name' && ERROR_CLASS_NAME.test(value)) return value;
  if (secretKeys.has(key)) return '[redacted]';
  const mask = maskers[key];
  return mask ? mask(value) : value;
}
