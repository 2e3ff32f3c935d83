/** docs/access.md prints the policy's matrix: it must say what POLICY says, role by role and action by action. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIONS, ORGANISATION_WIDE, POLICY, ROLES } from '../../functions/domain/access/roles';

const doc = readFileSync(new URL('../../docs/access.md', import.meta.url), 'utf8');
const matrix = /<!-- matrix:start -->\n([\s\S]*?)\n<!-- matrix:end -->/.exec(doc)?.[1] ?? '';

describe('docs/access.md', () => {
  it('has the matrix of every role and action, equal to POLICY', () => {
    const [header = '', , ...rows] = matrix.split('\n');
    expect(header.split('|').map((cell) => cell.trim()).filter(Boolean)).toEqual(['action', ...ROLES]);
    const documented = rows.map((row) => {
      const [action = '', ...cells] = row.split('|').map((cell) => cell.trim()).filter(Boolean);
      return { action: /`([^`]+)`/.exec(action)?.[1], organisationWide: action.includes('organisation-wide'), cells };
    });
    expect(documented.map((row) => row.action)).toEqual([...ACTIONS]);
    for (const row of documented) {
      const action = row.action as (typeof ACTIONS)[number];
      expect(row.organisationWide, action).toBe(ORGANISATION_WIDE.has(action));
      expect(row.cells, action).toEqual(ROLES.map((role) => (POLICY[role].includes(action) ? 'yes' : '-')));
    }
  });
});
