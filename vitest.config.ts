import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { javaOnPath } from './test/helpers/dynamodb-local.ts';

/**
 * Two projects. `manyi`: every test, the store's on dynalite. `dynamodb-local`: the store's tests
 * (test/store/) again on DynamoDB Local, which its globalSetup starts once for the run; vitest
 * starts it only when a file of that project is selected. Without java, CI fails here and a
 * local run leaves the project out, saying why.
 */
const storeOnDynamodbLocal: TestProjectInlineConfiguration = {
  extends: true,
  test: {
    name: 'dynamodb-local',
    include: ['test/store/**/*.test.ts'],
    globalSetup: ['test/helpers/dynamodb-local-setup.ts'],
    provide: { dynamoBackend: 'dynamodb-local' },
  },
};

function withDynamodbLocal(): TestProjectInlineConfiguration[] {
  if (javaOnPath()) return [storeOnDynamodbLocal];
  const reason = 'java is not on PATH, so the store tests do not run on DynamoDB Local (install Java 17 or later)';
  if (process.env.CI && !['0', 'false'].includes(process.env.CI.toLowerCase())) throw new Error(`${reason}: CI must run them`);
  console.warn(`vitest: ${reason}; they run on dynalite only`);
  return [];
}

export default defineConfig({
  test: {
    // Integration suites start their own in-memory dynalite, so files can run in parallel.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'manyi', include: ['test/**/*.test.ts'], provide: { dynamoBackend: 'dynalite' } } },
      ...withDynamodbLocal(),
    ],
  },
});
