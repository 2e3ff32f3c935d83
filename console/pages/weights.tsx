/**
 * The weights of one level: the method, and for AHP the pairwise matrix (upper triangle entered,
 * lower triangle its reciprocals) with the consistency ratio and the most inconsistent judgement
 * computed as one types by the same functions the server validates with.
 */
import { AhpMatrixError, analyzeAhpMatrix, parseAhpMatrix } from '../../functions/domain/stats/ahp';
import { t, type MessageKey } from '../i18n';

export type WeightingInput = { method: string; matrix?: (string | number)[][]; [key: string]: unknown } | undefined;

const METHODS = ['default', 'equal', 'ahp', 'entropy', 'derived', 'pls'] as const;

/** The judgement's reciprocal as one writes it: 3 -> 1/3, 1/5 -> 5, 2.5 -> 1/2.5. */
export function reciprocal(judgement: string | number): string {
  const text = String(judgement).trim();
  const fraction = /^(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(text);
  if (fraction) return fraction[1] === '1' ? fraction[2]! : `${fraction[2]}/${fraction[1]}`;
  return text === '1' ? '1' : `1/${text}`;
}

const unitMatrix = (n: number): string[][] => Array.from({ length: n }, () => Array.from({ length: n }, () => '1'));

const round = (value: number, digits = 3) => String(Number(value.toFixed(digits)));

export function WeightingEditor(props: { spec: WeightingInput; labels: readonly string[]; idPrefix: string; disabled: boolean; onChange: (spec: WeightingInput) => void }) {
  const { spec, labels, idPrefix } = props;
  const method = spec?.method ?? 'default';
  const n = labels.length;
  const matrix = spec?.method === 'ahp' && spec.matrix?.length === n ? spec.matrix : unitMatrix(n);
  const setCell = (i: number, j: number, value: string) => {
    const next = matrix.map((row) => row.map(String));
    next[i]![j] = value;
    next[j]![i] = value.trim() === '' ? '' : reciprocal(value);
    props.onChange({ method: 'ahp', matrix: next });
  };
  let analysis: { text: string; ok: boolean } | null = null;
  if (method === 'ahp' && n >= 2) {
    try {
      const result = analyzeAhpMatrix(parseAhpMatrix(matrix));
      const cr = t('ahpCr', { cr: result.cr.toFixed(3) });
      const { row, col, judgement, impliedRatio } = result.worst;
      analysis = result.consistent
        ? { ok: true, text: `${cr}: ${t('ahpConsistent')}. ${t('ahpWeights')}: ${labels.map((label, i) => `${label} ${round(result.weights[i]!)}`).join(', ')}` }
        : { ok: false, text: `${cr}: ${t('ahpInconsistent', { row: labels[row] ?? '', col: labels[col] ?? '', judgement: round(judgement), implied: round(impliedRatio) })}` };
    } catch (error) {
      if (!(error instanceof AhpMatrixError)) throw error;
      analysis = { ok: false, text: error.message };
    }
  }
  return (
    <div class="weights" data-weights={idPrefix}>
      <label>
        {t('weighting')}
        <select
          value={method}
          disabled={props.disabled}
          onChange={(e) => {
            const chosen = (e.currentTarget as HTMLSelectElement).value;
            props.onChange(chosen === 'default' ? undefined : chosen === 'ahp' ? { method: 'ahp', matrix: unitMatrix(n) } : { method: chosen });
          }}
        >
          {METHODS.map((m) => (
            <option key={m} value={m}>
              {t(`weighting.${m}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      {method === 'ahp' && n >= 2 && (
        <div class="ahp">
          <p id={`${idPrefix}-ahp-hint`} class="hint">{t('ahpHint')}</p>
          <div class="table-wrap" tabIndex={0} role="region" aria-label={t('ahpHint')}>
            <table class="matrix">
              <thead>
                <tr>
                  <td />
                  {labels.map((label) => (
                    <th scope="col" key={label}>{label}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {labels.map((rowLabel, i) => (
                  <tr key={rowLabel}>
                    <th scope="row">{rowLabel}</th>
                    {labels.map((colLabel, j) => (
                      <td key={colLabel}>
                        {j > i ? (
                          <input
                            class="cell"
                            aria-label={`${rowLabel} / ${colLabel}`}
                            aria-describedby={`${idPrefix}-ahp-hint`}
                            value={String(matrix[i]?.[j] ?? '')}
                            disabled={props.disabled}
                            onInput={(e) => setCell(i, j, (e.currentTarget as HTMLInputElement).value)}
                          />
                        ) : (
                          <span class="derived">{String(matrix[i]?.[j] ?? '')}</span>
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {analysis && (
            <p class={analysis.ok ? 'ok' : 'problem'} role="status" data-testid="ahp-result">
              {analysis.text}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

/**
 * Keeps an AHP matrix with its children when they change: a move swaps their rows and columns, a
 * removal drops them, an addition appends a row and column of 1s (no preference yet), so no
 * judgement is ever attached to another child. Other methods are left as they are.
 */
export function reshapeWeighting(spec: WeightingInput, change: { move: [number, number] } | { remove: number } | { add: true }): WeightingInput {
  if (spec?.method !== 'ahp' || !Array.isArray(spec.matrix)) return spec;
  let matrix = spec.matrix.map((row) => [...row]);
  if ('move' in change) {
    const [a, b] = change.move;
    const order = matrix.map((_, i) => (i === a ? b : i === b ? a : i));
    matrix = order.map((i) => order.map((j) => matrix[i]?.[j] ?? '1'));
  } else if ('remove' in change) {
    matrix = matrix.filter((_, i) => i !== change.remove).map((row) => row.filter((_, j) => j !== change.remove));
  } else {
    matrix = [...matrix.map((row) => [...row, '1']), Array.from({ length: matrix.length + 1 }, () => '1')];
  }
  return { ...spec, matrix };
}
