/**
 * The ECSI satisfaction model of the plspm reference data (27 items, 6 latent variables), shared
 * by the PLS and CLI benchmarks, and synthetic 0-10 answers that follow it.
 */
import { seededRandom } from '../functions/domain/pls';

export const blocks: Record<string, string[]> = {
  IMAG: ['imag1', 'imag2', 'imag3', 'imag4', 'imag5'],
  EXPE: ['expe1', 'expe2', 'expe3', 'expe4', 'expe5'],
  QUAL: ['qual1', 'qual2', 'qual3', 'qual4', 'qual5'],
  VAL: ['val1', 'val2', 'val3', 'val4'],
  SAT: ['sat1', 'sat2', 'sat3', 'sat4'],
  LOY: ['loy1', 'loy2', 'loy3', 'loy4'],
};
export const paths: [string, string][] = [
  ['IMAG', 'EXPE'], ['IMAG', 'SAT'], ['IMAG', 'LOY'], ['EXPE', 'QUAL'], ['EXPE', 'VAL'],
  ['EXPE', 'SAT'], ['QUAL', 'VAL'], ['QUAL', 'SAT'], ['VAL', 'SAT'], ['SAT', 'LOY'],
];
export const items = Object.values(blocks).flat();

/** 0-10 answers, row after row in `items` order, from the model's chain of latent variables plus item noise. */
export function syntheticAnswers(rows: number, seed: number): Float64Array {
  const uniform = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const lvs = Object.keys(blocks);
  const p = items.length;
  const buffer = new Float64Array(rows * p);
  const scores = new Float64Array(lvs.length);
  for (let r = 0; r < rows; r++) {
    lvs.forEach((lv, k) => {
      const parents = paths.filter(([, to]) => to === lv).map(([from]) => lvs.indexOf(from));
      const explained = parents.reduce((total, j) => total + scores[j]!, 0) / Math.max(1, parents.length);
      scores[k] = 0.6 * explained + 0.8 * normal();
    });
    let i = 0;
    lvs.forEach((lv, k) => {
      for (let item = 0; item < blocks[lv]!.length; item++, i++) {
        const answer = Math.round(7 + 1.6 * (0.8 * scores[k]! + 0.6 * normal()));
        buffer[r * p + i] = Math.min(10, Math.max(0, answer));
      }
    });
  }
  return buffer;
}
