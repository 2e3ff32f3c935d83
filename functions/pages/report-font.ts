/**
 * Where the PDF's CJK font is: Noto Sans SC Regular (SIL Open Font License), a TrueType font with
 * every GB2312 character (and far more), from @expo-google-fonts/noto-sans-sc. On Lambda the
 * bundling copies it beside the bundle (infra/function.ts `fontBundling`); locally it is read from
 * node_modules. pdfkit embeds only the glyphs a report uses.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const FONT_ASSET_DIR = 'fonts';
export const CJK_FONT_FILE = 'NotoSansSC-Regular.ttf';
/** The font in its package (what the bundling copies). */
export const CJK_FONT_MODULE = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';

let found: string | undefined;

export function cjkFontPath(): string {
  if (found) return found;
  const beside = fileURLToPath(new URL(`./${FONT_ASSET_DIR}/${CJK_FONT_FILE}`, import.meta.url));
  found = existsSync(beside) ? beside : createRequire(import.meta.url).resolve(CJK_FONT_MODULE);
  return found;
}
