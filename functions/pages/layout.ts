import { html, raw, type Html } from './html';

/**
 * Mobile-first, light (no script, no web fonts, inline CSS under 4 kB), accessible (landmarks,
 * visible focus, large touch targets, sufficient contrast, prefers-reduced-motion respected).
 */
const BASE_CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1a1a1a;background:#f6f7f9}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;line-height:1.3;margin:.5rem 0 1rem}
h2{font-size:1.1rem}
p{margin:.5rem 0}
a{color:#0b57d0}
.card{background:#fff;border:1px solid #d9dde3;border-radius:.75rem;padding:1rem;margin:0 0 1rem}
fieldset{border:0;margin:0;padding:0;min-width:0}
legend{font-weight:600;padding:0;margin-bottom:.5rem}
.req{color:#b3261e}
.help{color:#555;font-size:.9rem;margin:.25rem 0 .5rem}
.scale{display:flex;flex-wrap:wrap;gap:.4rem}
.scale label{flex:1 0 2.75rem}
.opt input{position:absolute;opacity:0;width:1px;height:1px}
.opt>span{display:flex;align-items:center;justify-content:center;min-height:2.75rem;padding:.25rem .5rem;border:1px solid #9aa3ad;border-radius:.5rem;background:#fff;cursor:pointer;text-align:center}
.opt input:checked+span{background:#0b57d0;border-color:#0b57d0;color:#fff;font-weight:600}
.opt input:focus-visible+span{outline:3px solid #f4b400;outline-offset:2px}
.ends{display:flex;justify-content:space-between;font-size:.85rem;color:#555;margin-top:.25rem}
.choices label{display:block;margin:.25rem 0}
.choices .opt>span{justify-content:flex-start}
.pair .row{margin-top:.75rem}
.pair .row legend{font-weight:600;font-size:.95rem;margin-bottom:.25rem}
.alloc{display:flex;gap:.5rem;align-items:center;justify-content:space-between}
.alloc input{width:5rem;min-height:2.75rem;font:inherit;padding:.25rem .5rem;border:1px solid #9aa3ad;border-radius:.5rem}
textarea{width:100%;min-height:6rem;font:inherit;padding:.5rem;border:1px solid #9aa3ad;border-radius:.5rem}
textarea:focus-visible{outline:3px solid #f4b400}
.field{margin:0 0 1rem}
.field label{display:block;font-weight:600;margin-bottom:.25rem}
.field input{display:block;width:100%;min-height:2.75rem;font:inherit;padding:.5rem .75rem;border:1px solid #9aa3ad;border-radius:.5rem;background:#fff;color:inherit}
.field input:focus-visible{outline:3px solid #f4b400;outline-offset:1px}
.field input[aria-invalid=true]{border-color:#b3261e}
button{font:inherit;font-weight:600;width:100%;min-height:3rem;border:0;border-radius:.75rem;background:#0b57d0;color:#fff;cursor:pointer}
button:focus-visible{outline:3px solid #f4b400;outline-offset:2px}
.error{color:#b3261e;font-weight:600;margin:.25rem 0}
.invalid{border-color:#b3261e}
.summary{border:2px solid #b3261e}
.lang{text-align:right;font-size:.9rem}
.muted{color:#555}
.notice{border-left:4px solid #8a5a00;background:#fff8e6;padding:.5rem .75rem;margin:0 0 .75rem;color:#3d2a00}
.tag{display:inline-block;font-size:.8rem;font-weight:600;padding:0 .35rem;border:1px solid #8a5a00;border-radius:.3rem;color:#6b4500;background:#fff8e6}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e6ea;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.bar{height:.6rem;background:#e3e6ea;border-radius:.3rem;min-width:4rem}
.bar>span{display:block;height:100%;background:#0b57d0;border-radius:.3rem}
.big{font-size:2.5rem;font-weight:700;line-height:1.1}
@media (min-width:48rem){main{max-width:60rem}}
@media (prefers-reduced-motion:reduce){*{transition:none!important}}
`;

/** A page; `css` adds a page family's own rules after the base ones. */
export function page(options: { lang: string; title: string; body: Html | Html[]; css?: string }): string {
  return `<!doctype html>${html`<html lang="${options.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${options.title}</title>
<style>${raw(BASE_CSS + (options.css ?? ''))}</style>
</head>
<body><main>${options.body}</main></body>
</html>`}`;
}
