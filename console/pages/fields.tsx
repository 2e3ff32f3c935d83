/**
 * The editor's fields, shared by the indicator tree, the questions outside it and the gap model:
 * each shows the problems checkDraft reports at its path (`at`), marked on the input and described
 * by the list under it.
 */
import type { Problem } from '../../functions/domain/errors';
import { t } from '../i18n';

export type Text = Record<string, string>;

export interface FieldProps { problems: readonly Problem[]; disabled: boolean }

/** The problems reported at a path or at a key directly under it (what the editor shows at its field). */
export const at = (problems: readonly Problem[], path: string) => problems.filter((p) => p.path === path || p.path.startsWith(`${path}.`) && !p.path.slice(path.length + 1).includes('.'));

/** The problems reported at exactly this path (for a container whose children show their own). */
export const exactlyAt = (problems: readonly Problem[], path: string) => problems.filter((p) => p.path === path);

/** The attributes that tie an input to the problems listed under it. */
export const invalidity = (problems: readonly Problem[], path: string) => ({
  'aria-invalid': problems.length > 0 || undefined,
  'aria-describedby': problems.length > 0 ? `${path}-problems` : undefined,
});

export function FieldProblems(props: { id: string; problems: readonly Problem[] }) {
  if (props.problems.length === 0) return null;
  return (
    <ul id={props.id} class="field-problems">
      {props.problems.map((p, i) => (
        <li key={i}>{p.message}</li>
      ))}
    </ul>
  );
}

/**
 * One text in every language, side by side; an empty one is marked as missing. An optional text
 * (a gap dimension's title) is marked only once some language has one.
 */
export function Texts(props: FieldProps & { label: string; value: Text | undefined; languages: readonly string[]; path: string; optional?: boolean; onChange: (text: Text) => void }) {
  const problems = at(props.problems, props.path);
  const errorId = `${props.path}-problems`;
  const started = Object.values(props.value ?? {}).some((text) => text.trim() !== '');
  return (
    <fieldset class="texts">
      <legend>{props.label}</legend>
      {props.languages.map((lang) => {
        const value = props.value?.[lang] ?? '';
        const missing = value.trim() === '' && (!props.optional || started);
        return (
          <label key={lang} class={missing ? 'missing' : undefined}>
            <span>
              {lang}
              {missing && <em class="missing-tag"> · {t('missingTranslation')}</em>}
            </span>
            <input
              lang={lang}
              data-path={`${props.path}.${lang}`}
              value={value}
              disabled={props.disabled}
              aria-invalid={problems.length > 0 || undefined}
              aria-describedby={problems.length > 0 ? errorId : undefined}
              onInput={(e) => {
                const next = { ...(props.value ?? {}) };
                const text = (e.currentTarget as HTMLInputElement).value;
                if (text === '') delete next[lang];
                else next[lang] = text;
                props.onChange(next);
              }}
            />
          </label>
        );
      })}
      <FieldProblems id={errorId} problems={problems} />
    </fieldset>
  );
}

export function IdField(props: FieldProps & { label: string; value: string; path: string; onChange: (id: string) => void }) {
  const problems = at(props.problems, props.path);
  return (
    <label class="id-field">
      {props.label}
      <input
        data-path={props.path}
        value={props.value}
        disabled={props.disabled}
        {...invalidity(problems, props.path)}
        onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).value.trim())}
      />
      <FieldProblems id={`${props.path}-problems`} problems={problems} />
    </label>
  );
}

/** An optional number: empty leaves the key out (the schema's default applies). */
export function NumberField(props: FieldProps & { label: string; value: unknown; path: string; step?: string; onChange: (value: number | undefined) => void }) {
  const problems = at(props.problems, props.path);
  return (
    <label class="number-field">
      {props.label}
      <input
        type="number"
        step={props.step ?? 'any'}
        data-path={props.path}
        value={typeof props.value === 'number' ? props.value : ''}
        disabled={props.disabled}
        {...invalidity(problems, props.path)}
        onChange={(e) => {
          const text = (e.currentTarget as HTMLInputElement).value.trim();
          props.onChange(text === '' ? undefined : Number(text));
        }}
      />
      <FieldProblems id={`${props.path}-problems`} problems={problems} />
    </label>
  );
}

export function MoveButtons(props: { label: string; index: number; count: number; disabled: boolean; onMove: (by: -1 | 1) => void; onRemove: () => void }) {
  return (
    <span class="move">
      <button type="button" class="small" disabled={props.disabled || props.index === 0} aria-label={`${t('moveUp')}: ${props.label}`} onClick={() => props.onMove(-1)}>↑</button>
      <button type="button" class="small" disabled={props.disabled || props.index === props.count - 1} aria-label={`${t('moveDown')}: ${props.label}`} onClick={() => props.onMove(1)}>↓</button>
      <button type="button" class="small danger" disabled={props.disabled} aria-label={`${t('remove')}: ${props.label}`} onClick={props.onRemove}>×</button>
    </span>
  );
}
