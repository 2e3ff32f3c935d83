/**
 * The questionnaire editor: a draft stored server-side (PUT /admin/surveys/{id}/draft), edited as
 * the indicator tree (elements > indicators > questions), texts side by side per language, weights
 * per level; the questions outside the tree (a SERVQUAL model's expectations) and the gap model
 * (gaps-editor.tsx); a rating question's commitment reference, suggested from the declared
 * commitments. A renamed id is renamed where it is referenced (indicators, fixed weights by id, the
 * gap items, the PLS model's paths); a removed question's gap references stay, for checkDraft to
 * name at their fields. Checked as one types by checkDraft, the function the draft routes answer
 * with; a preview that is the respondent page itself (questionnairePage) in a phone frame; import
 * and export; publication after the diff from the previous version. A published version opens
 * read-only and can start a new draft.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Problem } from '../../functions/domain/errors';
import { checkDraft } from '../../functions/domain/questionnaire/draft';
import { questionnairePage } from '../../functions/pages/respondent';
import { api, ApiError } from '../api';
import { t } from '../i18n';
import { at, FieldProblems, IdField, invalidity, MoveButtons, Texts, type Text } from './fields';
import { gapQuestionReferences, GapsEditor, renameGapReferences, type GapsInput } from './gaps-editor';
import { localized } from './surveys';
import { reshapeWeighting, WeightingEditor, type WeightingInput } from './weights';

interface QuestionInput { id: string; type: string; text: Text; scale?: string; required?: boolean; commitment?: string; [key: string]: unknown }
interface IndicatorInput { id: string; title: Text; weight?: number; weighting?: WeightingInput; questions: string[] }
interface ElementInput { id: string; title: Text; weight?: number; weighting?: WeightingInput; indicators: IndicatorInput[] }
export interface Definition {
  title: Text;
  languages: string[];
  scales: Record<string, { type: 'rating'; min: number; max: number }>;
  index: { id: string; title: Text; weighting?: WeightingInput; model?: { paths?: unknown; csi?: unknown; [key: string]: unknown }; elements: ElementInput[]; [key: string]: unknown };
  questions: QuestionInput[];
  gaps?: GapsInput;
  [key: string]: unknown;
}

const blankDefinition = (surveyId: string): Definition => ({
  id: surveyId,
  title: { 'zh-CN': '', en: '' },
  languages: ['zh-CN', 'en'],
  scales: { s5: { type: 'rating', min: 1, max: 5 } },
  index: { id: 'csi', title: { 'zh-CN': '顾客满意度指数', en: 'Customer satisfaction index' }, elements: [] },
  questions: [],
});

/** The definition as the editor can walk it (an imported or stored one may lack parts). */
function normalised(raw: Record<string, unknown>, surveyId: string): Definition {
  const base = blankDefinition(surveyId);
  const d = { ...base, ...raw } as Definition;
  d.index = { ...base.index, ...(d.index ?? {}) };
  d.index.elements = Array.isArray(d.index.elements) ? d.index.elements : [];
  d.questions = Array.isArray(d.questions) ? d.questions : [];
  d.languages = Array.isArray(d.languages) ? d.languages : base.languages;
  return d;
}

function uniqueId(prefix: string, taken: Set<string>): string {
  for (let i = 1; ; i++) if (!taken.has(`${prefix}${i}`)) return `${prefix}${i}`;
}

/** A node whose children may be weighted (the index, an element, an indicator). */
type Parent = { weighting?: WeightingInput };

/** Moves a child and its row and column of the parent's AHP matrix with it. */
function move<T>(parent: Parent, items: T[], index: number, by: -1 | 1): void {
  const target = index + by;
  if (target < 0 || target >= items.length) return;
  [items[index], items[target]] = [items[target]!, items[index]!];
  if (parent.weighting) parent.weighting = reshapeWeighting(parent.weighting, { move: [index, target] });
}

function removeChild<T>(parent: Parent, items: T[], index: number): void {
  items.splice(index, 1);
  if (parent.weighting) parent.weighting = reshapeWeighting(parent.weighting, { remove: index });
}

/** The ids of the questions some indicator holds. */
const treeQuestionIds = (d: Definition) => new Set(d.index.elements.flatMap((e) => e.indicators.flatMap((i) => i.questions)));

/**
 * The questions nothing references any more are dropped with the node that held them; those the
 * gap model or a derived weighting's target still names stay, outside the index.
 */
function dropUnreferencedQuestions(d: Definition, candidates: readonly string[]): void {
  const referenced = new Set([...treeQuestionIds(d), ...gapQuestionReferences(d.gaps), ...derivedTargets(d)]);
  d.questions = d.questions.filter((q) => !candidates.includes(q.id) || referenced.has(q.id));
}

/** Every weighting of the tree: the index's, each element's, each indicator's. */
const allWeightings = (d: Definition): WeightingInput[] => [d.index.weighting, ...d.index.elements.flatMap((e) => [e.weighting, ...e.indicators.map((i) => i.weighting)])];

/** The nodes `derived` weightings name as their target (the outcome the key drivers explain). */
const derivedTargets = (d: Definition): string[] =>
  allWeightings(d).flatMap((weighting) => (weighting?.method === 'derived' && typeof weighting['target'] === 'string' ? [weighting['target']] : []));

/** A node renamed: a `derived` weighting anywhere that names it as its target follows it. */
function renameDerivedTargets(d: Definition, from: string, to: string): void {
  for (const weighting of allWeightings(d)) if (weighting?.method === 'derived' && weighting['target'] === from) weighting['target'] = to;
}

/** A weighting that names its children (fixed weights by id) follows a child's new id. */
function renameInWeighting(weighting: WeightingInput, from: string, to: string): void {
  const weights = weighting?.['weights'];
  if (weighting?.method !== 'fixed' || typeof weights !== 'object' || weights === null || Array.isArray(weights) || !Object.hasOwn(weights, from)) return;
  weighting['weights'] = Object.fromEntries(Object.entries(weights).map(([id, w]) => [id === from ? to : id, w]));
}

/** A question renamed: the indicators, their fixed weights and the gap model follow it. */
function renameQuestionReferences(d: Definition, from: string, to: string): void {
  for (const e of d.index.elements) {
    for (const i of e.indicators) {
      if (!i.questions.includes(from)) continue;
      i.questions = i.questions.map((q) => (q === from ? to : q));
      renameInWeighting(i.weighting, from, to);
    }
  }
  renameGapReferences(d.gaps, from, to);
  renameDerivedTargets(d, from, to);
}

/** A gap dimension renamed: the allocation question that weighs the dimensions follows it. */
function renameAllocationDimension(d: Definition, allocationId: unknown, from: string, to: string): void {
  const allocation = d.questions.find((q) => q.id === allocationId && q.type === 'allocation');
  if (!allocation || !Array.isArray(allocation['dimensions'])) return;
  allocation['dimensions'] = allocation['dimensions'].map((dimension: unknown) =>
    dimension === from ? to : typeof dimension === 'object' && dimension !== null && (dimension as { id?: unknown }).id === from ? { ...dimension, id: to } : dimension,
  );
}

/** An element renamed: the index's fixed weights and the PLS model's paths and CSI element follow it. */
function renameElementReferences(d: Definition, from: string, to: string): void {
  renameInWeighting(d.index.weighting, from, to);
  renameDerivedTargets(d, from, to);
  const model = d.index.model;
  if (!model) return;
  if (Array.isArray(model.paths)) model.paths = model.paths.map((path: unknown) => (Array.isArray(path) ? path.map((end: unknown) => (end === from ? to : end)) : path));
  if (model.csi === from) model.csi = to;
}

function addChild<T>(parent: Parent, items: T[], child: T): void {
  items.push(child);
  if (parent.weighting) parent.weighting = reshapeWeighting(parent.weighting, { add: true });
}

function download(name: string, type: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  URL.revokeObjectURL(url);
}

function Preview(props: { definition: Definition; surveyId: string; nextVersion: number }) {
  const check = useMemo(() => checkDraft(props.surveyId, props.definition, props.nextVersion), [props.definition, props.surveyId, props.nextVersion]);
  const languages = check.questionnaire?.languages ?? [];
  const [lang, setLang] = useState<string | undefined>(undefined);
  const shown = lang && languages.includes(lang) ? lang : languages[0];
  return (
    <section class="preview" aria-labelledby="preview-title">
      <h2 id="preview-title">{t('preview')}</h2>
      {check.questionnaire && shown ? (
        <>
          <div class="tabs" role="group" aria-label={t('language')}>
            {languages.map((l) => (
              <button key={l} type="button" class="small" aria-pressed={l === shown} onClick={() => setLang(l)}>
                {l}
              </button>
            ))}
          </div>
          <div class="phone">
            {/* The respondent page itself, without script (sandbox): what a respondent will see. */}
            <iframe title={`${t('preview')} (${shown})`} sandbox="" srcDoc={questionnairePage(check.questionnaire, shown)} />
          </div>
        </>
      ) : (
        <p>{t('previewUnavailable')}</p>
      )}
    </section>
  );
}

function Problems(props: { errors: readonly Problem[]; warnings: readonly Problem[] }) {
  return (
    <section class="problems" aria-labelledby="problems-title" aria-live="polite">
      <h2 id="problems-title">{t('problems')}</h2>
      {props.errors.length === 0 ? (
        <p class="ok">{t('noProblems')}</p>
      ) : (
        <ul>
          {props.errors.map((p, i) => (
            <li key={i}>
              <code>{p.path}</code> {p.message}
            </li>
          ))}
        </ul>
      )}
      {props.warnings.length > 0 && (
        <>
          <h3>{t('warnings')}</h3>
          <ul>
            {props.warnings.map((p, i) => (
              <li key={i}>
                <code>{p.path}</code> {p.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function PublishDialog(props: { surveyId: string; definition: Definition; nextVersion: number; onCancel: () => void; onPublish: () => void }) {
  const [lines, setLines] = useState<{ kind: '+' | '-' | ' '; text: string }[] | null>(null);
  useEffect(() => {
    const previous = props.nextVersion - 1;
    const draftText = JSON.stringify(checkDraft(props.surveyId, props.definition, props.nextVersion).questionnaire ?? props.definition, null, 2);
    void (async () => {
      const { diffLines } = await import('diff');
      const before = previous > 0 ? JSON.stringify((await api<{ definition: unknown }>('GET', `/admin/surveys/${props.surveyId}/versions/${previous}`)).definition, null, 2).replace(`"version": ${previous}`, `"version": ${props.nextVersion}`) : '';
      const changes = diffLines(before, draftText);
      setLines(changes.flatMap((change) => (change.added || change.removed ? change.value.replace(/\n$/, '').split('\n').map((text) => ({ kind: change.added ? ('+' as const) : ('-' as const), text })) : [])));
    })();
  }, []);
  return (
    <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="publish-title">
      <h2 id="publish-title">{props.nextVersion > 1 ? t('diffTitle', { version: props.nextVersion - 1 }) : t('diffFirst')}</h2>
      {lines === null ? (
        <p>{t('loading')}</p>
      ) : (
        <pre class="diff" tabIndex={0}>
          {lines.map((line, i) => (
            <span key={i} class={line.kind === '+' ? 'added' : 'removed'}>
              {line.kind} {line.text}
              {'\n'}
            </span>
          ))}
        </pre>
      )}
      <div class="buttons">
        <button type="button" onClick={props.onPublish}>
          {t('publishConfirm', { version: props.nextVersion })}
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
    </div>
  );
}

export function Editor(props: { surveyId: string; version?: number }) {
  const { surveyId } = props;
  const readOnly = props.version !== undefined;
  const [definition, setDefinition] = useState<Definition | null>(null);
  // The gap model while it is switched off (GapsEditor brings it back).
  const gapStash = useRef<GapsInput | undefined>(undefined);
  const [revision, setRevision] = useState(0);
  const [nextVersion, setNextVersion] = useState(1);
  const [status, setStatus] = useState<{ text: string; problem: boolean } | null>(null);
  const [publishing, setPublishing] = useState(false);

  useEffect(() => {
    setDefinition(null);
    void (async () => {
      try {
        if (props.version !== undefined) {
          const stored = await api<{ definition: Record<string, unknown> }>('GET', `/admin/surveys/${surveyId}/versions/${props.version}`);
          setDefinition(normalised(stored.definition, surveyId));
          setNextVersion(props.version);
          return;
        }
        const draft = await api<{ definition: Record<string, unknown>; revision: number; nextVersion: number }>('GET', `/admin/surveys/${surveyId}/draft`);
        setDefinition(normalised(draft.definition, surveyId));
        setRevision(draft.revision);
        setNextVersion(draft.nextVersion);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) setDefinition(blankDefinition(surveyId));
        else setStatus({ text: t('error', { message: (error as Error).message }), problem: true });
      }
    })();
  }, [surveyId, props.version]);
  // The declared commitments, suggested for a question's reference; without them, no suggestions.
  const [commitments, setCommitments] = useState<{ id: string; title?: Text }[]>([]);
  useEffect(() => {
    if (readOnly) return;
    api<{ commitments: { id: string; title?: Text }[] }>('GET', '/admin/commitments').then(
      (page) => setCommitments(Array.isArray(page.commitments) ? page.commitments : []),
      () => setCommitments([]),
    );
  }, [readOnly]);

  const check = useMemo(() => (definition ? checkDraft(surveyId, definition, nextVersion) : { errors: [], warnings: [] }), [definition, surveyId, nextVersion]);
  if (!definition) return <p>{status?.text ?? t('loading')}</p>;

  /** Every edit: a copy changed by `change`, so the previous state stays as it was. */
  const edit = (change: (d: Definition) => void) => {
    const next = structuredClone(definition);
    change(next);
    setDefinition(next);
    setStatus(null);
  };
  const fieldProps = { problems: check.errors, disabled: readOnly };
  const languages = definition.languages.filter((l) => typeof l === 'string');
  const questionsById = new Map(definition.questions.map((q) => [q.id, q]));
  const allIds = () => new Set([...definition.questions.map((q) => q.id), ...definition.index.elements.flatMap((e) => [e.id, ...e.indicators.map((i) => i.id)])]);
  const questionIndex = (id: string) => definition.questions.findIndex((q) => q.id === id);
  const inTree = treeQuestionIds(definition);
  const usedByGaps = gapQuestionReferences(definition.gaps);
  const scaleIds = Object.keys(definition.scales ?? {});
  const firstScale = () => scaleIds[0] ?? 's5';

  /** A question's own fields, wherever it is listed: id, texts, type, and for a rating question its scale and commitment. */
  const questionFields = (question: QuestionInput, qIndex: number) => {
    const qPath = `questions[${qIndex}]`;
    const questionId = question.id;
    const known = ['rating', 'text'].includes(question.type);
    const scaleProblems = at(check.errors, `${qPath}.scale`);
    const commitmentProblems = at(check.errors, `${qPath}.commitment`);
    return (
      <>
        <IdField
          {...fieldProps}
          label={t('id')}
          value={question.id}
          path={`${qPath}.id`}
          onChange={(id) =>
            edit((d) => {
              // A taken id would merge two questions' references: keep the old one.
              if (id !== questionId && allIds().has(id)) return;
              d.questions[qIndex]!.id = id;
              renameQuestionReferences(d, questionId, id);
              renameGapReferences(gapStash.current, questionId, id);
            })
          }
        />
        <Texts {...fieldProps} label={t('text')} value={question.text} languages={languages} path={`${qPath}.text`} onChange={(text) => edit((d) => (d.questions[qIndex]!.text = text))} />
        <label>
          {t('type')}
          <select value={question.type} data-path={`${qPath}.type`} disabled={readOnly} onChange={(e) => edit((d) => {
            const type = (e.currentTarget as HTMLSelectElement).value;
            const { id, text, help, required } = d.questions[qIndex]!;
            // A new question of that type with the same id and texts: keys of the old type would not parse.
            d.questions[qIndex] = { id, text, ...(help ? { help } : {}), ...(required !== undefined ? { required } : {}), type, ...(type === 'rating' ? { scale: firstScale() } : {}) };
          })}>
            <option value="rating">{t('type.rating')}</option>
            <option value="text">{t('type.text')}</option>
            {/* Choice and allocation questions come from an imported file; their options are edited there. */}
            {!known && <option value={question.type}>{question.type === 'choice' || question.type === 'allocation' ? t(`type.${question.type}`) : question.type}</option>}
          </select>
        </label>
        {!known && <p class="hint">{t('type.editInFile')}</p>}
        {question.type === 'rating' && (
          <>
            <label>
              {t('scale')}
              <select value={question.scale ?? ''} data-path={`${qPath}.scale`} disabled={readOnly} {...invalidity(scaleProblems, `${qPath}.scale`)} onChange={(e) => edit((d) => (d.questions[qIndex]!.scale = (e.currentTarget as HTMLSelectElement).value))}>
                {question.scale !== undefined && !scaleIds.includes(question.scale) && <option value={question.scale}>{question.scale}</option>}
                {scaleIds.map((id) => (
                  <option key={id} value={id}>{id} ({definition.scales[id]!.min}–{definition.scales[id]!.max})</option>
                ))}
              </select>
              <FieldProblems id={`${qPath}.scale-problems`} problems={scaleProblems} />
            </label>
            <label>
              {t('commitmentReference')}
              <input
                list="commitment-ids"
                data-path={`${qPath}.commitment`}
                value={question.commitment ?? ''}
                disabled={readOnly}
                {...invalidity(commitmentProblems, `${qPath}.commitment`)}
                onInput={(e) => edit((d) => {
                  const reference = (e.currentTarget as HTMLInputElement).value;
                  if (reference.trim() === '') delete d.questions[qIndex]!.commitment;
                  else d.questions[qIndex]!.commitment = reference;
                })}
              />
              <FieldProblems id={`${qPath}.commitment-problems`} problems={commitmentProblems} />
            </label>
          </>
        )}
      </>
    );
  };
  /** Makes the rating question a gap item's expectation: outside the index, on its perception's scale. */
  const newExpectation = (dimension: number, item: number) =>
    edit((d) => {
      const target = d.gaps?.dimensions?.[dimension]?.items?.[item];
      if (!target) return;
      const perception = d.questions.find((q) => q.id === target.perception);
      const taken = allIds();
      const base = `${target.perception || 'q'}e`;
      const id = taken.has(base) ? uniqueId(base, taken) : base;
      d.questions.push({ id, type: 'rating', scale: perception?.type === 'rating' && perception.scale ? perception.scale : firstScale(), text: {}, required: perception?.required ?? true });
      target.expectation = id;
    });

  const save = async () => {
    try {
      const saved = await api<{ revision: number; nextVersion: number }>('PUT', `/admin/surveys/${surveyId}/draft`, { json: { definition, baseRevision: revision } });
      setRevision(saved.revision);
      setNextVersion(saved.nextVersion);
      setStatus({ text: t('saved', { revision: saved.revision }), problem: false });
      return saved.revision;
    } catch (error) {
      setStatus({ text: error instanceof ApiError && error.status === 409 ? t('conflict') : t('error', { message: (error as Error).message }), problem: true });
      return undefined;
    }
  };
  const publish = async () => {
    setPublishing(false);
    const saved = await save();
    if (saved === undefined) return;
    try {
      const published = await api<{ version: number }>('POST', `/admin/surveys/${surveyId}/draft/publish`, { json: { revision: saved } });
      setStatus({ text: t('published', { version: published.version }), problem: false });
      location.hash = `#/surveys/${surveyId}/versions/${published.version}`;
    } catch (error) {
      setStatus({ text: t('error', { message: (error as Error).message }), problem: true });
    }
  };
  const importFile = async (file: File) => {
    const text = await file.text();
    try {
      const parsed = /\.ya?ml$/i.test(file.name) ? (await import('yaml')).parse(text) : JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected a questionnaire object');
      setDefinition(normalised({ ...(parsed as Record<string, unknown>), id: surveyId }, surveyId));
    } catch (error) {
      setStatus({ text: t('error', { message: (error as Error).message }), problem: true });
    }
  };
  const exportAs = async (format: 'json' | 'yaml') => {
    if (format === 'json') return download(`${surveyId}.json`, 'application/json', `${JSON.stringify(definition, null, 2)}\n`);
    download(`${surveyId}.yaml`, 'application/yaml', (await import('yaml')).stringify(definition));
  };

  return (
    <div class="editor">
      <div class="editor-main">
        <h1>
          {readOnly ? t('readOnly', { version: props.version! }) : `${t('editor')}: `}
          <code>{surveyId}</code> {localized(definition.title)}
        </h1>
        <div class="toolbar">
          {readOnly ? (
            <button type="button" onClick={async () => {
              try {
                // baseRevision 0: only where no draft is in progress (a 409 says there is one; open it instead).
                await api('PUT', `/admin/surveys/${surveyId}/draft`, { json: { definition: { ...definition, id: surveyId }, baseRevision: 0 } });
                location.hash = `#/surveys/${surveyId}/draft`;
              } catch (error) {
                setStatus({ text: t('error', { message: (error as Error).message }), problem: true });
              }
            }}>
              {t('startDraft')}
            </button>
          ) : (
            <>
              <button type="button" onClick={() => void save()}>{t('save')}</button>
              <button type="button" disabled={check.errors.length > 0} onClick={() => setPublishing(true)}>{t('publish')}</button>
              <label class="file">
                {t('importFile')}
                <input type="file" accept=".json,.yaml,.yml,application/json,application/yaml" onChange={(e) => { const file = (e.currentTarget as HTMLInputElement).files?.[0]; if (file) void importFile(file); }} />
              </label>
            </>
          )}
          <button type="button" class="secondary" onClick={() => void exportAs('json')}>{t('exportJson')}</button>
          <button type="button" class="secondary" onClick={() => void exportAs('yaml')}>{t('exportYaml')}</button>
        </div>
        {status && <p role={status.problem ? 'alert' : 'status'} class={status.problem ? 'problem' : 'ok'}>{status.text}</p>}
        {publishing && <PublishDialog surveyId={surveyId} definition={definition} nextVersion={nextVersion} onCancel={() => setPublishing(false)} onPublish={() => void publish()} />}

        <section class="card" aria-labelledby="basics-title">
          <h2 id="basics-title">{t('basics')}</h2>
          <label>
            {t('languages')}
            <input
              value={languages.join(', ')}
              disabled={readOnly}
              onChange={(e) => edit((d) => (d.languages = (e.currentTarget as HTMLInputElement).value.split(',').map((l) => l.trim()).filter(Boolean)))}
            />
          </label>
          <Texts {...fieldProps} label={t('title')} value={definition.title} languages={languages} path="title" onChange={(text) => edit((d) => (d.title = text))} />
          {Object.entries(definition.scales ?? {}).map(([scaleId, scale]) => (
            <fieldset key={scaleId} class="scale">
              <legend>{t('scale')} <code>{scaleId}</code></legend>
              <label>{t('scaleMin')}<input type="number" value={scale.min} disabled={readOnly} onChange={(e) => edit((d) => (d.scales[scaleId]!.min = Number((e.currentTarget as HTMLInputElement).value)))} /></label>
              <label>{t('scaleMax')}<input type="number" value={scale.max} disabled={readOnly} onChange={(e) => edit((d) => (d.scales[scaleId]!.max = Number((e.currentTarget as HTMLInputElement).value)))} /></label>
            </fieldset>
          ))}
        </section>

        <section class="card" aria-labelledby="tree-title">
          <h2 id="tree-title">{t('tree')}</h2>
          <WeightingEditor spec={definition.index.weighting} labels={definition.index.elements.map((e) => e.id)} idPrefix="index" disabled={readOnly} onChange={(spec) => edit((d) => (spec ? (d.index.weighting = spec) : delete d.index.weighting))} />
          <FieldProblems id="index-weighting-problems" problems={at(check.errors, 'index.weighting')} />
          <ol class="tree">
            {definition.index.elements.map((element, ei) => {
              const ePath = `index.elements[${ei}]`;
              return (
                <li key={ei} class="element">
                  <div class="node-head">
                    <strong>{t('element')} {ei + 1}</strong>
                    <MoveButtons label={element.id} index={ei} count={definition.index.elements.length} disabled={readOnly} onMove={(by) => edit((d) => move(d.index, d.index.elements, ei, by))} onRemove={() => edit((d) => {
                      const held = d.index.elements[ei]!.indicators.flatMap((i) => i.questions);
                      removeChild(d.index, d.index.elements, ei);
                      dropUnreferencedQuestions(d, held);
                    })} />
                  </div>
                  <IdField {...fieldProps} label={t('id')} value={element.id} path={`${ePath}.id`} onChange={(id) => edit((d) => {
                    if (id !== element.id && allIds().has(id)) return;
                    d.index.elements[ei]!.id = id;
                    renameElementReferences(d, element.id, id);
                  })} />
                  <Texts {...fieldProps} label={t('title')} value={element.title} languages={languages} path={`${ePath}.title`} onChange={(text) => edit((d) => (d.index.elements[ei]!.title = text))} />
                  <WeightingEditor spec={element.weighting} labels={element.indicators.map((i) => i.id)} idPrefix={`e${ei}`} disabled={readOnly} onChange={(spec) => edit((d) => (spec ? (d.index.elements[ei]!.weighting = spec) : delete d.index.elements[ei]!.weighting))} />
                  <FieldProblems id={`${ePath}-weighting-problems`} problems={at(check.errors, `${ePath}.weighting`)} />
                  <ol>
                    {element.indicators.map((indicator, ii) => {
                      const iPath = `${ePath}.indicators[${ii}]`;
                      return (
                        <li key={ii} class="indicator">
                          <div class="node-head">
                            <strong>{t('indicator')} {ei + 1}.{ii + 1}</strong>
                            <MoveButtons label={indicator.id} index={ii} count={element.indicators.length} disabled={readOnly} onMove={(by) => edit((d) => move(d.index.elements[ei]!, d.index.elements[ei]!.indicators, ii, by))} onRemove={() => edit((d) => {
                              const held = d.index.elements[ei]!.indicators[ii]!.questions;
                              removeChild(d.index.elements[ei]!, d.index.elements[ei]!.indicators, ii);
                              dropUnreferencedQuestions(d, held);
                            })} />
                          </div>
                          <IdField {...fieldProps} label={t('id')} value={indicator.id} path={`${iPath}.id`} onChange={(id) => edit((d) => {
                            if (id !== indicator.id && allIds().has(id)) return;
                            d.index.elements[ei]!.indicators[ii]!.id = id;
                            renameInWeighting(d.index.elements[ei]!.weighting, indicator.id, id);
                            renameDerivedTargets(d, indicator.id, id);
                          })} />
                          <Texts {...fieldProps} label={t('title')} value={indicator.title} languages={languages} path={`${iPath}.title`} onChange={(text) => edit((d) => (d.index.elements[ei]!.indicators[ii]!.title = text))} />
                          <WeightingEditor spec={indicator.weighting} labels={indicator.questions} idPrefix={`e${ei}i${ii}`} disabled={readOnly} onChange={(spec) => edit((d) => (spec ? (d.index.elements[ei]!.indicators[ii]!.weighting = spec) : delete d.index.elements[ei]!.indicators[ii]!.weighting))} />
                          <FieldProblems id={`${iPath}-weighting-problems`} problems={at(check.errors, `${iPath}.weighting`)} />
                          <FieldProblems id={`${iPath}-questions-problems`} problems={at(check.errors, `${iPath}.questions`)} />
                          <ol>
                            {indicator.questions.map((questionId, qi) => {
                              const question = questionsById.get(questionId);
                              const qIndex = questionIndex(questionId);
                              return (
                                <li key={qi} class="question">
                                  <div class="node-head">
                                    <strong>{t('question')} <code>{questionId}</code></strong>
                                    <MoveButtons
                                      label={questionId}
                                      index={qi}
                                      count={indicator.questions.length}
                                      disabled={readOnly}
                                      onMove={(by) => edit((d) => move(d.index.elements[ei]!.indicators[ii]!, d.index.elements[ei]!.indicators[ii]!.questions, qi, by))}
                                      onRemove={() =>
                                        edit((d) => {
                                          removeChild(d.index.elements[ei]!.indicators[ii]!, d.index.elements[ei]!.indicators[ii]!.questions, qi);
                                          dropUnreferencedQuestions(d, [questionId]);
                                        })
                                      }
                                    />
                                  </div>
                                  {question && questionFields(question, qIndex)}
                                </li>
                              );
                            })}
                          </ol>
                          {!readOnly && (
                            <button type="button" class="small secondary" onClick={() => edit((d) => {
                              const id = uniqueId('q', allIds());
                              d.questions.push({ id, type: 'rating', scale: Object.keys(d.scales)[0] ?? 's5', text: {}, required: true });
                              addChild(d.index.elements[ei]!.indicators[ii]!, d.index.elements[ei]!.indicators[ii]!.questions, id);
                            })}>
                              {t('addQuestion')}
                            </button>
                          )}
                        </li>
                      );
                    })}
                  </ol>
                  {!readOnly && (
                    <button type="button" class="small secondary" onClick={() => edit((d) => addChild(d.index.elements[ei]!, d.index.elements[ei]!.indicators, { id: uniqueId('i', allIds()), title: {}, questions: [] }))}>
                      {t('addIndicator')}
                    </button>
                  )}
                </li>
              );
            })}
          </ol>
          {!readOnly && (
            <button type="button" class="secondary" onClick={() => edit((d) => addChild(d.index, d.index.elements, { id: uniqueId('e', allIds()), title: {}, indicators: [] }))}>
              {t('addElement')}
            </button>
          )}
        </section>

        <GapsEditor
          gaps={definition.gaps}
          stash={gapStash}
          ratingQuestions={definition.questions.filter((q) => q.type === 'rating').map((q) => ({ id: q.id, text: q.text }))}
          allocationQuestions={definition.questions.filter((q) => q.type === 'allocation').map((q) => ({ id: q.id, text: q.text }))}
          languages={languages}
          readOnly={readOnly}
          problems={check.errors}
          onChange={(gaps, renamed) => edit((d) => {
            if (!gaps) return void delete d.gaps;
            d.gaps = gaps;
            if (renamed) renameAllocationDimension(d, gaps.importance, renamed.from, renamed.to);
          })}
          onNewExpectation={newExpectation}
        />

        <section class="card" aria-labelledby="outside-title">
          <h2 id="outside-title">{t('outsideIndex')}</h2>
          <p class="hint">{t('outsideIndexHint')}</p>
          {definition.questions.every((q) => inTree.has(q.id)) ? (
            <p>{t('noOutsideQuestions')}</p>
          ) : (
            <ol class="tree outside">
              {definition.questions.map((question, qIndex) =>
                inTree.has(question.id) ? null : (
                  <li key={qIndex} class="question" data-question={question.id}>
                    <div class="node-head">
                      <strong>{t('question')} <code>{question.id}</code>{usedByGaps.has(question.id) && <span class="tag">{t('usedByGaps')}</span>}</strong>
                      {/* The gap model's references stay: checkDraft then names them at their fields. */}
                      <button type="button" class="small danger" disabled={readOnly} aria-label={`${t('remove')}: ${question.id}`} onClick={() => edit((d) => d.questions.splice(qIndex, 1))}>×</button>
                    </div>
                    {questionFields(question, qIndex)}
                  </li>
                ),
              )}
            </ol>
          )}
          {!readOnly && (
            <button type="button" class="secondary" onClick={() => edit((d) => d.questions.push({ id: uniqueId('q', allIds()), type: 'rating', scale: firstScale(), text: {}, required: true }))}>
              {t('addOutsideQuestion')}
            </button>
          )}
        </section>
        <datalist id="commitment-ids">
          {commitments.map((c) => (
            <option key={c.id} value={c.id}>{localized(c.title)}</option>
          ))}
        </datalist>
      </div>
      <aside class="editor-side">
        <Problems errors={check.errors} warnings={check.warnings} />
        <Preview definition={definition} surveyId={surveyId} nextVersion={nextVersion} />
      </aside>
    </div>
  );
}
