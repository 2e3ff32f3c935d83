/**
 * Responses: the primary key is the invitation id and the put is conditional on it not existing,
 * so retries and concurrent submits store exactly one. Listed by survey and period (GSI1, sorted
 * by submission time) for the computation.
 */
import type { ResponseStore } from '../app/ports';
import type { ResponseRecord } from '../domain/records';
import { keys } from './keys';
import { recordOf, type Table } from './table';

/** The responses of a questionnaire and period submitted after `after` (GSI1, by submission time). */
const submittedAfter = (surveyId: string, period: string, after: string | undefined) => ({
  IndexName: 'gsi1',
  KeyConditionExpression: after ? 'gsi1pk = :pk AND gsi1sk > :after' : 'gsi1pk = :pk',
  ExpressionAttributeValues: { ':pk': keys.responsesOfSurveyPeriod(surveyId, period), ...(after ? { ':after': after } : {}) },
});

export function responseItems(table: Table): ResponseStore {
  return {
    async putResponseOnce(response) {
      const outcome = await table.putIfAbsent({
        ...keys.response(response.invitationId),
        ...keys.responseBySurveyPeriod(response.surveyId, response.period, response.submittedAt, response.invitationId),
        entity: 'Response',
        ...response,
      });
      return outcome === 'created' ? 'created' : 'duplicate';
    },

    async getResponse(invitationId) {
      return recordOf<ResponseRecord>(await table.get(keys.response(invitationId), { consistent: true }));
    },

    async *responsesOf(surveyId, period, after) {
      for await (const page of table.queryPages(submittedAfter(surveyId, period, after))) yield page.map((item) => recordOf<ResponseRecord>(item) as ResponseRecord);
    },

    async *responseIdsOf(surveyId, period, after) {
      const pages = table.queryPages({ ...submittedAfter(surveyId, period, after), ProjectionExpression: 'invitationId' });
      for await (const page of pages) yield page.map((item) => String(item.invitationId));
    },
  };
}
