/**
 * The one tracer: Powertools' Tracer (X-Ray), which records each invocation as a subsegment
 * (`## <function>`, annotated ColdStart and Service) and each AWS SDK call as one of its own
 * (DynamoDB, SQS, End User Messaging, Cognito, KMS), so the trace map shows where the time goes.
 *
 * It comes from the Powertools Lambda layer the stack adds to every function (infra/function.ts),
 * not from the bundle: the tracer and the X-Ray SDK are about 125 KB minified, which every bundle
 * would otherwise carry (docs/architecture.md, "Keeping a function lean"). It is loaded with a
 * runtime require that esbuild leaves alone, only on Lambda (AWS_EXECUTION_ENV) and unless
 * POWERTOOLS_TRACE_ENABLED=false; where it cannot be loaded, functions run untraced. Locally and
 * in tests nothing is loaded. What is recorded holds no personal data: the X-Ray SDK keeps
 * operation names, table and queue names and request ids, never keys, items or message bodies,
 * and neither responses nor HTTPS calls are captured.
 */
import { createRequire } from 'node:module';
import type { Tracer } from '@aws-lambda-powertools/tracer';

const requireFromLayer = createRequire(import.meta.url);
let tracer: Tracer | null | undefined;

/** The tracer of this Lambda container, or undefined (not on Lambda, turned off, or no layer). */
export function lambdaTracer(): Tracer | undefined {
  if (tracer === undefined) {
    tracer = null;
    if (process.env.AWS_EXECUTION_ENV && process.env.POWERTOOLS_TRACE_ENABLED !== 'false') {
      try {
        const powertools = requireFromLayer('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer');
        tracer = new powertools.Tracer({ captureHTTPsRequests: false });
      } catch {
        // No layer (a function deployed without it): the function works, untraced.
        tracer = null;
      }
    }
  }
  return tracer ?? undefined;
}

/** An AWS SDK client whose calls are traced as subsegments (the client itself when not tracing). */
export function traced<Client>(client: Client): Client {
  return lambdaTracer()?.captureAWSv3Client(client) ?? client;
}

/** Runs one invocation inside its handler subsegment; an error is recorded as its metadata and thrown on. */
export async function inHandlerSubsegment<R>(functionName: string, invocation: () => Promise<R>): Promise<R> {
  const active = lambdaTracer();
  const segment = active?.getSegment();
  if (!active || !segment) return invocation();
  const subsegment = segment.addNewSubsegment(`## ${functionName}`);
  active.setSegment(subsegment);
  active.annotateColdStart();
  active.addServiceNameAnnotation();
  try {
    return await invocation();
  } catch (error) {
    active.addErrorAsMetadata(error as Error);
    throw error;
  } finally {
    subsegment.close();
    active.setSegment(segment);
  }
}
