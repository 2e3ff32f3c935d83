/**
 * Responses: the RESPONSE item of the invitation's partition (`TOKEN#{token}`), put on condition
 * that it does not exist, so retries and concurrent submits store exactly one, and one Query of the
 * partition returns the invitation with its response. Listed by survey and period (GSI1, sorted by
 * submission time) for the computation.
 */
import type { ResponseStore } from '../app/ports';
import type { ResponseRecord } from '../domain/records';
import { invitationPartition, legacyResponseOf } from './invitations';
import { keys } from './keys';
import { recordOf, type Table } from './table';

/** The responses of a questionnaire and period submitted after `after` (GSI1, by submission time). */
const submittedAfter = (surveyId: string, period: string, after: string | undefined) => ({
  IndexName: 'gsi1',
  KeyConditionExpression: after ? 'gsi1pk = :pk AND gsi1sk > :after' : 'gsi1pk = :pk',
  ExpressionAttributeValues: { ':pk': keys.responsesOfSurveyPeriod(surveyId, period), ...(after ? { ':after': after } : {}) },
});

const tokenOfPartition = (pk: unknown) => String(pk).slice(keys.invitationPartition('').length);

export function responseItems(table: Table): ResponseStore {
  return {
    async putResponseOnce(token, response) {
      const outcome = await table.putIfAbsent({
        ...keys.response(token),
        ...keys.responseBySurveyPeriod(response.surveyId, response.period, response.submittedAt, response.invitationId),
        entity: 'Response',
        ...response,
      });
      return outcome === 'created' ? 'created' : 'duplicate';
    },

    async getResponse(token) {
      const items = await invitationPartition(table, token);
      if (items.response) return recordOf<ResponseRecord>(items.response);
      return items.invitation ? legacyResponseOf(table, items.invitation) : undefined;
    },

    async answeredTokens(tokens) {
      // Tokens of the layout before responses moved into the invitation's partition have their
      // answered state in the invitation's status (the submit marked it), which the caller reads.
      const found = await table.batchGet(tokens.map(keys.response), { consistent: true, projection: 'pk, sk' });
      return new Set([...found.values()].map((item) => tokenOfPartition(item.pk)));
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
