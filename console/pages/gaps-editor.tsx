/**
 * The gap model of a draft (`gaps:`, docs/gaps.md): SERVQUAL pairs an expectation with a
 * perception question per item, SERVPERF takes perceptions only; dimensions and items are added,
 * removed and reordered like the indicator tree. Fields the editor does not show (or does not know)
 * stay as the draft has them, so an imported model exports unchanged.
 */
import type { Problem } from '../../functions/domain/errors';
import { t } from '../i18n';
import { at, exactlyAt, FieldProblems, IdField, invalidity, MoveButtons, NumberField, Texts, type Text } from './fields';
import { localized } from './surveys';

export interface GapItemInput { id: string; expectation?: string; perception: string; adequate?: string; [key: string]: unknown }
export interface GapDimensionInput { id: string; title?: Text; weight?: number; target?: number; competitor?: number; items: GapItemInput[]; [key: string]: unknown }
export interface GapsInput { model?: string; tolerance?: number; importance?: string; dimensions: GapDimensionInput[]; [key: string]: unknown }

/** A question one may pick: its id and text. */
export interface QuestionChoice { id: string; text: Text | undefined }

const ROLES = ['expectation', 'perception', 'adequate'] as const;

/** The dimensions and items as lists, whatever an imported draft holds there. */
const dimensionsOf = (gaps: GapsInput | undefined): GapDimensionInput[] => (Array.isArray(gaps?.dimensions) ? gaps.dimensions : []);
const itemsOf = (dimension: GapDimensionInput): GapItemInput[] => (Array.isArray(dimension.items) ? dimension.items : []);

/** The question ids the gap model names: the items' questions and the importance allocation. */
export function gapQuestionReferences(gaps: GapsInput | undefined): Set<string> {
  const ids = new Set<string>();
  for (const dimension of dimensionsOf(gaps)) {
    for (const item of itemsOf(dimension)) for (const role of ROLES) if (typeof item[role] === 'string') ids.add(item[role]);
  }
  if (typeof gaps?.importance === 'string') ids.add(gaps.importance);
  return ids;
}

/** A question renamed: every reference of the gap model follows it. */
export function renameGapReferences(gaps: GapsInput | undefined, from: string, to: string): void {
  if (!gaps) return;
  for (const dimension of dimensionsOf(gaps)) {
    for (const item of itemsOf(dimension)) for (const role of ROLES) if (item[role] === from) item[role] = to;
  }
  if (gaps.importance === from) gaps.importance = to;
}

function uniqueId(prefix: string, taken: ReadonlySet<string>): string {
  for (let i = 1; ; i++) if (!taken.has(`${prefix}${i}`)) return `${prefix}${i}`;
}

function swap<T>(items: T[], index: number, by: -1 | 1): void {
  const target = index + by;
  if (target < 0 || target >= items.length) return;
  [items[index], items[target]] = [items[target]!, items[index]!];
}

/** A question picked from a list; an id the list lacks (removed, renamed elsewhere) stays shown as it is. */
function QuestionSelect(props: { label: string; value: string | undefined; path: string; choices: readonly QuestionChoice[]; optional: boolean; disabled: boolean; problems: readonly Problem[]; onChange: (id: string | undefined) => void }) {
  const problems = at(props.problems, props.path);
  const value = props.value ?? '';
  const known = props.choices.some((c) => c.id === value);
  return (
    <label>
      {props.label}
      <select
        data-path={props.path}
        value={value}
        disabled={props.disabled}
        {...invalidity(problems, props.path)}
        onChange={(e) => {
          const id = (e.currentTarget as HTMLSelectElement).value;
          props.onChange(id === '' ? undefined : id);
        }}
      >
        {(props.optional || value === '') && <option value="">{t('gaps.noQuestion')}</option>}
        {value !== '' && !known && <option value={value}>{value} ({t('gaps.unknownQuestion')})</option>}
        {props.choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.id}
            {localized(c.text) ? ` · ${localized(c.text)}` : ''}
          </option>
        ))}
      </select>
      <FieldProblems id={`${props.path}-problems`} problems={problems} />
    </label>
  );
}

export function GapsEditor(props: {
  gaps: GapsInput | undefined;
  /**
   * Where a model switched off waits to come back as it was (until the page is left): the editor
   * owns it, so a question renamed meanwhile is renamed in it too.
   */
  stash: { current: GapsInput | undefined };
  /** The rating questions (in the tree or outside it), which items pair. */
  ratingQuestions: readonly QuestionChoice[];
  /** The allocation questions, one of which may weigh the dimensions. */
  allocationQuestions: readonly QuestionChoice[];
  languages: readonly string[];
  readOnly: boolean;
  problems: readonly Problem[];
  /** The model changed; with `renamed`, a dimension's id changed (the importance allocation names it too). */
  onChange: (gaps: GapsInput | undefined, renamed?: { from: string; to: string }) => void;
  /** Makes a rating question outside the index on the perception's scale, the item's expectation. */
  onNewExpectation: (dimension: number, item: number) => void;
}) {
  const { gaps, problems, readOnly } = props;
  const stash = props.stash;
  const fieldProps = { problems, disabled: readOnly };
  const model = gaps ? (gaps.model ?? 'servqual') : 'off';
  const dimensions = dimensionsOf(gaps);

  /** Every edit: a copy of the model changed by `change`, its lists made lists. */
  const change = (mutate: (next: GapsInput) => void, renamed?: { from: string; to: string }) => {
    const next = structuredClone(gaps ?? { dimensions: [] });
    next.dimensions = dimensionsOf(next);
    for (const dimension of next.dimensions) dimension.items = itemsOf(dimension);
    mutate(next);
    props.onChange(next, renamed);
  };
  const firstFreeQuestion = () => {
    const used = gapQuestionReferences(gaps);
    return (props.ratingQuestions.find((q) => !used.has(q.id)) ?? props.ratingQuestions[0])?.id ?? '';
  };
  const allItemIds = () => new Set(dimensions.flatMap((d) => itemsOf(d).map((i) => i.id)));

  return (
    <section class="card" aria-labelledby="gaps-title">
      <h2 id="gaps-title">{t('gaps')}</h2>
      <p class="hint">{t('gaps.hint')}</p>
      <label>
        {t('gaps.model')}
        <select
          data-path="gaps.model"
          value={model}
          disabled={readOnly}
          {...invalidity(exactlyAt(problems, 'gaps.model'), 'gaps.model')}
          onChange={(e) => {
            const chosen = (e.currentTarget as HTMLSelectElement).value;
            if (chosen === 'off') {
              stash.current = gaps;
              props.onChange(undefined);
              return;
            }
            const base = gaps ?? stash.current ?? { tolerance: 0, dimensions: [] };
            props.onChange({ ...structuredClone(base), model: chosen });
          }}
        >
          <option value="off">{t('gaps.off')}</option>
          <option value="servqual">{t('gaps.servqual')}</option>
          <option value="servperf">{t('gaps.servperf')}</option>
          {!['off', 'servqual', 'servperf'].includes(model) && <option value={model}>{model}</option>}
        </select>
        <FieldProblems id="gaps.model-problems" problems={exactlyAt(problems, 'gaps.model')} />
      </label>
      {gaps && (
        <>
          <FieldProblems id="gaps-problems" problems={exactlyAt(problems, 'gaps')} />
          <NumberField {...fieldProps} label={t('gaps.tolerance')} value={gaps.tolerance} path="gaps.tolerance" step="0.1" onChange={(value) => change((g) => (value === undefined ? delete g.tolerance : (g.tolerance = value)))} />
          {(props.allocationQuestions.length > 0 || gaps.importance !== undefined) && (
            <QuestionSelect {...fieldProps} label={t('gaps.importance')} value={gaps.importance} path="gaps.importance" choices={props.allocationQuestions} optional onChange={(id) => change((g) => (id === undefined ? delete g.importance : (g.importance = id)))} />
          )}
          <FieldProblems id="gaps.dimensions-problems" problems={exactlyAt(problems, 'gaps.dimensions')} />
          <ol class="tree gap-dimensions">
            {dimensions.map((dimension, di) => {
              const dPath = `gaps.dimensions[${di}]`;
              const items = itemsOf(dimension);
              return (
                <li key={di} class="gap-dimension">
                  <div class="node-head">
                    <strong>{t('gaps.dimension')} {di + 1}</strong>
                    <MoveButtons label={dimension.id} index={di} count={dimensions.length} disabled={readOnly} onMove={(by) => change((g) => swap(g.dimensions, di, by))} onRemove={() => change((g) => g.dimensions.splice(di, 1))} />
                  </div>
                  <FieldProblems id={`${dPath}-problems`} problems={exactlyAt(problems, dPath)} />
                  <IdField {...fieldProps} label={t('id')} value={dimension.id} path={`${dPath}.id`} onChange={(id) => {
                    // Another dimension's id would merge the two in the importance allocation, for good.
                    if (id !== dimension.id && dimensions.some((other, oi) => oi !== di && other.id === id)) return;
                    change((g) => (g.dimensions[di]!.id = id), { from: dimension.id, to: id });
                  }} />
                  <Texts {...fieldProps} label={t('gaps.title')} value={dimension.title} languages={props.languages} path={`${dPath}.title`} optional onChange={(text) => change((g) => (Object.keys(text).length === 0 ? delete g.dimensions[di]!.title : (g.dimensions[di]!.title = text)))} />
                  <div class="numbers">
                    {(['weight', 'target', 'competitor'] as const).map((key) => (
                      <NumberField key={key} {...fieldProps} label={t(`gaps.${key}`)} value={dimension[key]} path={`${dPath}.${key}`} onChange={(value) => change((g) => (value === undefined ? delete g.dimensions[di]![key] : (g.dimensions[di]![key] = value)))} />
                    ))}
                  </div>
                  <FieldProblems id={`${dPath}.items-problems`} problems={exactlyAt(problems, `${dPath}.items`)} />
                  <ol>
                    {items.map((item, ii) => {
                      const iPath = `${dPath}.items[${ii}]`;
                      const setRole = (role: (typeof ROLES)[number], id: string | undefined) =>
                        change((g) => {
                          const target = g.dimensions[di]!.items[ii]!;
                          if (id === undefined && role !== 'perception') delete target[role];
                          else target[role] = id ?? '';
                        });
                      return (
                        <li key={ii} class="gap-item">
                          <div class="node-head">
                            <strong>{t('gaps.item')} {di + 1}.{ii + 1}</strong>
                            <MoveButtons label={item.id} index={ii} count={items.length} disabled={readOnly} onMove={(by) => change((g) => swap(g.dimensions[di]!.items, ii, by))} onRemove={() => change((g) => g.dimensions[di]!.items.splice(ii, 1))} />
                          </div>
                          <FieldProblems id={`${iPath}-problems`} problems={exactlyAt(problems, iPath)} />
                          <IdField {...fieldProps} label={t('id')} value={item.id} path={`${iPath}.id`} onChange={(id) => change((g) => (g.dimensions[di]!.items[ii]!.id = id))} />
                          <QuestionSelect {...fieldProps} label={t('gaps.perception')} value={item.perception} path={`${iPath}.perception`} choices={props.ratingQuestions} optional={false} onChange={(id) => setRole('perception', id)} />
                          <QuestionSelect {...fieldProps} label={model === 'servperf' ? t('gaps.expectationUnused') : t('gaps.expectation')} value={item.expectation} path={`${iPath}.expectation`} choices={props.ratingQuestions} optional onChange={(id) => setRole('expectation', id)} />
                          {/* Offered while the item has no expectation question of this questionnaire (SERVPERF needs none). */}
                          {!readOnly && model !== 'servperf' && !props.ratingQuestions.some((q) => q.id === item.expectation) && (
                            <button
                              type="button"
                              class="small secondary"
                              aria-label={`${t('gaps.newExpectation')}: ${item.id}`}
                              onClick={() => {
                                props.onNewExpectation(di, ii);
                                // The button goes with the choice made: focus stays beside it, on the choice.
                                setTimeout(() => document.querySelector<HTMLElement>(`[data-path="${iPath}.expectation"]`)?.focus(), 0);
                              }}
                            >
                              {t('gaps.newExpectation')}
                            </button>
                          )}
                          <QuestionSelect {...fieldProps} label={t('gaps.adequate')} value={item.adequate} path={`${iPath}.adequate`} choices={props.ratingQuestions} optional onChange={(id) => setRole('adequate', id)} />
                        </li>
                      );
                    })}
                  </ol>
                  {!readOnly && (
                    <button type="button" class="small secondary" onClick={() => change((g) => g.dimensions[di]!.items.push({ id: uniqueId(`${dimension.id || 'item'}-`, allItemIds()), perception: firstFreeQuestion() }))}>
                      {t('gaps.addItem')}
                    </button>
                  )}
                </li>
              );
            })}
          </ol>
          {!readOnly && (
            <button type="button" class="secondary" onClick={() => change((g) => g.dimensions.push({ id: uniqueId('d', new Set(dimensions.map((d) => d.id))), items: [] }))}>
              {t('gaps.addDimension')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
