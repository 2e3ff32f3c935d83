/**
 * Lambda entry points. A handler module names the AWS clients it needs (the modules next to this
 * one: ./dynamodb, ./sqs, ./sms) and nothing else is imported, so esbuild bundles those clients
 * only; functions/manifest.ts declares the same list for the stack and the bundling test checks
 * the two agree. The dependencies are built once per container, on the first invocation, so
 * importing a handler module has no side effects and the local runtime can build the same handlers
 * with its own dependencies.
 */
import type { Context } from 'aws-lambda';
import type { Deps } from '../app/deps';
import { systemClock } from '../shared/clock';
import { createLogger } from '../shared/logger';
import { inHandlerSubsegment } from '../shared/tracing';
import type { StorePart } from '../store/store-parts';

/**
 * The AWS SDK clients an entry may build: DynamoDB (the store), SQS (the dispatch queue), End User
 * Messaging SMS, Cognito (the user directory), KMS (the field-encryption key of the personal data).
 */
export type AwsClient = 'dynamodb' | 'sqs' | 'sms' | 'cognito' | 'kms';

/** How one dependency is built on Lambda, from the others (e.g. the store from `config.tableName`). */
export type Providers = { readonly [K in keyof Deps]?: (deps: Deps) => Deps[K] };

/** An AWS client module: the name the manifest uses for it and the dependencies it provides. */
export interface ClientProviders {
  readonly client: AwsClient;
  readonly providers: Providers;
  /** The store modules the entry names (DynamoDB only): its store has their methods and no other. */
  readonly storeParts?: readonly StorePart[];
}

/** What every function has without declaring it: the clock and the logger (neither is an AWS client). */
const alwaysProvided: Providers = { clock: () => systemClock, logger: () => createLogger(), fieldKeys: () => undefined };

const dependencyNames = ['config', 'fieldKeys', 'store', 'clock', 'logger', 'sms', 'queue', 'directory'] as const satisfies readonly (keyof Deps)[];

/**
 * The dependencies of one function: those its clients provide are built now (a misconfigured
 * environment fails the first invocation, as it always has); any other one throws when used, naming
 * what to declare, rather than being built from a client the bundle does not contain.
 */
function buildDeps(clients: readonly ClientProviders[]): Deps {
  const providers: Providers = Object.assign({}, alwaysProvided, ...clients.map((c) => c.providers));
  const built = new Map<keyof Deps, unknown>();
  const deps = {} as Deps;
  for (const name of dependencyNames) {
    Object.defineProperty(deps, name, {
      enumerable: true,
      get() {
        if (!built.has(name)) {
          const provide = providers[name] as ((deps: Deps) => unknown) | undefined;
          if (!provide) {
            throw new Error(`this function has no ${name}: its entry must pass the client that provides it to lambdaEntry (functions/runtime/), and functions/manifest.ts declare it`);
          }
          built.set(name, provide(deps));
        }
        return built.get(name);
      },
    });
  }
  for (const name of dependencyNames) if (providers[name]) void deps[name];
  return deps;
}

/** A Lambda handler, with the clients its entry named (the local runtime builds the same view of its store). */
export type LambdaEntry<E, R> = ((event: E, context: Context) => Promise<R>) & { readonly clients: readonly ClientProviders[] };

export function lambdaEntry<E, R>(factory: (deps: Deps) => (event: E, context: Context) => Promise<R>, ...clients: readonly ClientProviders[]): LambdaEntry<E, R> {
  let handler: ((event: E, context: Context) => Promise<R>) | undefined;
  const entry = (event: E, context: Context): Promise<R> => {
    handler ??= factory(buildDeps(clients));
    const run = handler;
    return inHandlerSubsegment(context.functionName, () => run(event, context));
  };
  return Object.assign(entry, { clients });
}
