/**
 * The store on DynamoDB: the facade the runtime hands to the use cases as `Store`
 * (functions/app/ports.ts), composed of one module per entity over the single table. Built around
 * single-item conditional writes (no transactions: dynalite, the local engine, has none); every read
 * is a GetItem, a BatchGetItem or a Query on keys from ./keys, never a scan. The local runtime and
 * the tests use this facade; a Lambda function builds only the modules its entry names
 * (./store-parts.ts).
 */
import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { Store } from '../app/ports';
import { campaignItems } from './campaigns';
import { caseItems } from './cases';
import { checkpointItems } from './checkpoints';
import { commitmentItems } from './commitments';
import { metricItems } from './metrics';
import { contactItems } from './contacts';
import { invitationItems } from './invitations';
import { orgUnitItems } from './org-units';
import { reportItems } from './reports';
import { responseItems } from './responses';
import { serviceEventItems } from './service-events';
import { smsItems } from './sms';
import { SurveyVersionCache, surveyItems } from './surveys';
import { Table, type FieldKeys } from './table';
import { userItems } from './users';
import { auditItems } from './audit';
import { privacyItems } from './privacy';
import { retentionItems } from './retention';
import { fieldSealingItems } from './field-sealing';
import { ensureTable } from './table-setup';

/** The store with what only the runtime that owns the table needs (creating it, closing the client). */
export interface DynamoStore extends Store {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Creates the table and its indexes where they are missing (local runtime and tests). */
  ensureTable(): Promise<void>;
}

export function dynamoStore(table: Table): DynamoStore {
  // Questionnaire versions never change once published: one cache per container, filled by
  // whichever module reads a version first (the respondent's GetItem, the report's batch).
  const versions = new SurveyVersionCache();
  return {
    client: table.client,
    tableName: table.tableName,
    ensureTable: () => ensureTable(table),
    ...surveyItems(table, versions),
    ...orgUnitItems(table),
    ...campaignItems(table),
    ...invitationItems(table),
    ...responseItems(table),
    ...reportItems(table, versions),
    ...checkpointItems(table),
    ...contactItems(table),
    ...smsItems(table),
    ...serviceEventItems(table),
    ...commitmentItems(table),
    ...userItems(table),
    ...auditItems(table),
    ...privacyItems(table),
    ...retentionItems(table),
    ...fieldSealingItems(table),
    ...caseItems(table),
    ...metricItems(table),
  };
}

export function connectStore(tableName: string, clientConfig: DynamoDBClientConfig = {}, fieldKeys: FieldKeys = 'clear'): DynamoStore {
  return dynamoStore(Table.connect(tableName, clientConfig, fieldKeys));
}
