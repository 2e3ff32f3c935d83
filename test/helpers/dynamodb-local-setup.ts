/**
 * Vitest globalSetup of the `dynamodb-local` project: one DynamoDB Local for the whole run (the
 * JVM's start is the cost; each test file makes tables of its own names on it), its endpoint
 * provided to the test files, killed at the end.
 */
import type { TestProject } from 'vitest/node';
import { startDynamodbLocal } from './dynamodb-local';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const local = await startDynamodbLocal();
  console.log(`DynamoDB Local (${local.release}) answered on ${local.endpoint} ${local.startupMs} ms after its start`);
  project.provide('dynamodbLocalEndpoint', local.endpoint);
  return () => local.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Which DynamoDB the store's tests run on (the project decides). */
    dynamoBackend: 'dynalite' | 'dynamodb-local';
    /** The shared DynamoDB Local, in the `dynamodb-local` project. */
    dynamodbLocalEndpoint: string;
  }
}
