/**
 * Operating figures (functions/domain/metrics.ts): one item per period and unit, in one partition
 * per period (the reports read a period whole: a bank has about a thousand units). A post sets the
 * figures it names, removes those it gives as null and keeps the others (one update each, so a
 * retry writes the same again; a post that fails midway leaves the rows before it written).
 */
import type { MetricsStore } from '../app/ports';
import { METRIC_FIELDS, type UnitMetrics } from '../domain/metrics';
import { keys } from './keys';
import { recordOf, type Table } from './table';

const WRITES_AT_ONCE = 16;

export function metricItems(table: Table): MetricsStore {
  return {
    async putMetrics(rows, updatedAt) {
      for (let i = 0; i < rows.length; i += WRITES_AT_ONCE) {
        await Promise.all(
          rows.slice(i, i + WRITES_AT_ONCE).map((row) => {
            const given = METRIC_FIELDS.filter((field) => row[field] !== undefined && row[field] !== null);
            const removed = METRIC_FIELDS.filter((field) => row[field] === null);
            const names = Object.fromEntries([...given, ...removed].map((field) => [`#${field}`, field]));
            const values = Object.fromEntries(given.map((field) => [`:${field}`, row[field]]));
            return table.update({
              Key: keys.metrics(row.period, row.orgUnitId),
              // Every name through a placeholder: some (period) are DynamoDB reserved words.
              UpdateExpression: `SET #entity = :entity, #unit = :unit, #period = :period, #at = :at${given.map((field) => `, #${field} = :${field}`).join('')}${removed.length > 0 ? ` REMOVE ${removed.map((field) => `#${field}`).join(', ')}` : ''}`,
              ExpressionAttributeNames: { '#entity': 'entity', '#unit': 'orgUnitId', '#period': 'period', '#at': 'updatedAt', ...names },
              ExpressionAttributeValues: { ':entity': 'Metrics', ':unit': row.orgUnitId, ':period': row.period, ':at': updatedAt, ...values },
            });
          }),
        );
      }
    },

    async metricsOf(period) {
      const items = await table.itemsOf(keys.metricsPartition(period));
      return items.map((item) => {
        const record = recordOf<UnitMetrics & { updatedAt: string }>(item)!;
        const { updatedAt: _at, ...metrics } = record;
        return metrics;
      });
    },
  };
}
