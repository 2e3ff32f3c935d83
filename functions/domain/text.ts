/**
 * Localised text and language negotiation. Every text in a questionnaire is a map of language tag
 * to text; the first declared language is the default.
 */
export type LocalizedText = Record<string, string>;

/** The text in `lang`, else in the default language, else any text at all. */
export function localize(text: LocalizedText | undefined, lang: string, fallback: string): string {
  if (!text) return '';
  return text[lang] ?? text[fallback] ?? Object.values(text)[0] ?? '';
}

function matchLanguage(candidate: string, available: readonly string[]): string | undefined {
  const wanted = candidate.trim().toLowerCase();
  if (!wanted || wanted === '*') return undefined;
  const exact = available.find((lang) => lang.toLowerCase() === wanted);
  if (exact) return exact;
  // "zh" or "zh-Hans-CN" should still find "zh-CN": compare primary subtags.
  const primary = wanted.split('-')[0];
  return available.find((lang) => lang.toLowerCase().split('-')[0] === primary);
}

/** Parses an Accept-Language header into tags ordered by quality (highest first). */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, position) => {
      const [tag = '', ...params] = part.trim().split(';');
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = qParam ? Number(qParam.slice(2)) : 1;
      return { tag: tag.trim(), quality: Number.isFinite(quality) ? quality : 0, position };
    })
    .filter((entry) => entry.tag && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.position - b.position)
    .map((entry) => entry.tag);
}

/** The best language: the `lang` query parameter, then Accept-Language, then the default (first). */
export function negotiateLanguage(
  available: readonly string[],
  request: { query?: string | undefined; acceptLanguage?: string | undefined },
): string {
  const fallback = available[0] ?? 'en';
  if (request.query) {
    const fromQuery = matchLanguage(request.query, available);
    if (fromQuery) return fromQuery;
  }
  for (const tag of parseAcceptLanguage(request.acceptLanguage)) {
    const match = matchLanguage(tag, available);
    if (match) return match;
  }
  return fallback;
}
