/**
 * The single-table key design, declared once. The CDK stack and the local runtime create the table
 * and its indexes from `tableDefinition`; the store builds every key through `keys`. docs/storage.md
 * describes the access patterns these keys serve. Nothing here imports AWS: it is plain data.
 */

export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [
    // GSI1: items listed under a parent other than their own partition (responses by survey and
    // period, invitations by campaign).
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  ],
} as const;

export type IndexName = (typeof tableDefinition.globalSecondaryIndexes)[number]['indexName'];

/** Version numbers are zero-padded in sort keys so that string order is numeric order. */
export const padVersion = (version: number): string => String(version).padStart(6, '0');

export const keys = {
  /** Every published questionnaire id, in one partition: the catalogue the compute job walks. */
  surveyCatalogue: (surveyId: string) => ({ pk: 'SURVEYS', sk: `SURVEY#${surveyId}` }),
  surveyCataloguePartition: 'SURVEYS',
  /** One item per published version; a query with descending sort gives the latest. */
  surveyVersion: (surveyId: string, version: number) => ({ pk: `SURVEY#${surveyId}`, sk: `V#${padVersion(version)}` }),
  surveyVersionsPartition: (surveyId: string) => `SURVEY#${surveyId}`,
  surveyVersionPrefix: 'V#',

  /** The organisation tree lives in one partition: it is read whole to roll figures up. */
  orgUnit: (unitId: string) => ({ pk: 'ORG', sk: `UNIT#${unitId}` }),
  orgPartition: 'ORG',
  orgUnitPrefix: 'UNIT#',

  campaign: (campaignId: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: 'META' }),

  /** An invitation is stored under its secret token (the respondent's only key) and listed by campaign. */
  invitation: (token: string) => ({ pk: `TOKEN#${token}`, sk: 'INVITATION' }),
  invitationByCampaign: (campaignId: string, invitationId: string) => ({
    gsi1pk: `CAMPAIGN#${campaignId}#INVITATIONS`,
    gsi1sk: `INV#${invitationId}`,
  }),
  invitationsOfCampaign: (campaignId: string) => `CAMPAIGN#${campaignId}#INVITATIONS`,

  /**
   * At most one response per invitation: the primary key is the invitation id and the put is
   * conditional on it not existing, so retries and concurrent submits store exactly one.
   */
  response: (invitationId: string) => ({ pk: `RESPONSE#${invitationId}`, sk: 'RESPONSE' }),
  responseBySurveyPeriod: (surveyId: string, period: string, submittedAt: string, invitationId: string) => ({
    gsi1pk: `RESPONSES#${surveyId}#${period}`,
    gsi1sk: `${submittedAt}#${invitationId}`,
  }),
  responsesOfSurveyPeriod: (surveyId: string, period: string) => `RESPONSES#${surveyId}#${period}`,

  /** Computed reports: one partition per survey and period, one item per version and unit. */
  report: (surveyId: string, period: string, version: number, orgUnitId: string) => ({
    pk: `REPORT#${surveyId}#${period}`,
    sk: `V#${padVersion(version)}#UNIT#${orgUnitId}`,
  }),
  reportPartition: (surveyId: string, period: string) => `REPORT#${surveyId}#${period}`,
} as const;
