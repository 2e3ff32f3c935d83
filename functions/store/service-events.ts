/**
 * Service events (repairs, return visits), each under its id and listed by month (GSI1) for the
 * commitment computation, which reads a period's months through that index, never a scan.
 */
import type { ServiceEventStore } from '../app/ports';
import { periodOf } from '../domain/period';
import { DEFAULT_TIME_ZONE } from '../domain/time-zone';
import type { ServiceEventRecord } from '../domain/records';
import { keys } from './keys';
import { recordOf, type Table } from './table';

/** The month an event is listed under: occurredAt's month in Asia/Shanghai; none for an unreadable instant. */
export function serviceEventMonthKeys(event: Pick<ServiceEventRecord, 'occurredAt' | 'eventId'>): { gsi1pk: string; gsi1sk: string } | Record<string, never> {
  const instant = new Date(event.occurredAt);
  if (Number.isNaN(instant.getTime())) return {};
  return keys.serviceEventByMonth(periodOf(instant, DEFAULT_TIME_ZONE), instant.toISOString(), event.eventId);
}

const eventItem = (event: ServiceEventRecord) => ({ ...keys.serviceEvent(event.eventId), ...serviceEventMonthKeys(event), entity: 'ServiceEvent', ...event });

export function serviceEventItems(table: Table): ServiceEventStore {
  return {
    async putServiceEventIfAbsent(event) {
      if ((await table.putIfAbsent(eventItem(event))) === 'created') return undefined;
      return recordOf<ServiceEventRecord>(await table.get(keys.serviceEvent(event.eventId), { consistent: true }));
    },

    async replaceServiceEvent(event, previousFingerprint) {
      return table.writeIf({ put: { Item: eventItem(event), ConditionExpression: 'fingerprint = :previous', ExpressionAttributeValues: { ':previous': previousFingerprint } } });
    },

    async getServiceEvent(eventId) {
      return recordOf<ServiceEventRecord>(await table.get(keys.serviceEvent(eventId)));
    },

    async serviceEventsOfMonth(month) {
      const items = await table.itemsOf(keys.serviceEventsOfMonth(month), 'gsi1');
      return items.map((item) => recordOf<ServiceEventRecord>(item) as ServiceEventRecord);
    },
  };
}
