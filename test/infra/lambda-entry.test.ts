import { describe, expect, it } from 'vitest';
import type { Deps } from '../../functions/app/deps';
import { lambdaEntry, type ClientProviders } from '../../functions/runtime/lambda-entry';

const context = {} as never;

describe('lambdaEntry (functions/runtime/)', () => {
  it('builds the dependencies the entry names once per container, on the first invocation', async () => {
    let built = 0;
    const fakeStore: ClientProviders = {
      client: 'dynamodb',
      providers: {
        config: () => ({ tableName: 't' }) as Deps['config'],
        store: (deps) => {
          built++;
          return { tableName: deps.config.tableName } as unknown as Deps['store'];
        },
      },
    };
    const handler = lambdaEntry((deps: Deps) => async () => (deps.store as unknown as { tableName: string }).tableName, fakeStore);
    expect(built).toBe(0);
    expect(await handler(undefined, context)).toBe('t');
    expect(await handler(undefined, context)).toBe('t');
    expect(built).toBe(1);
  });

  it('gives every function a clock and a logger without naming a client', async () => {
    const handler = lambdaEntry((deps: Deps) => async () => [typeof deps.clock.now, typeof deps.logger.info]);
    expect(await handler(undefined, context)).toEqual(['function', 'function']);
  });

  it('refuses a dependency the entry did not name, saying where to declare it', async () => {
    const handler = lambdaEntry((deps: Deps) => async () => deps.queue.enqueue([]));
    await expect(handler(undefined, context)).rejects.toThrow(/no queue: its entry must pass the client .* functions\/manifest\.ts/);
  });
});
