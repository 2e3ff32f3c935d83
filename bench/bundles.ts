/**
 * Bundles a function of functions/manifest.ts the way the stack does (infra/esbuild.ts) and, to
 * compare it with, an entry that only imports and constructs the AWS clients the manifest says it
 * uses. Used by bench/cold-start.ts.
 */
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import type { AwsClient } from '../functions/manifest';
import { esbuildOptions } from '../infra/esbuild';
import { repositoryRoot } from '../infra/function';

/** The smallest use of each client: construct it (the DynamoDB one wrapped as the store does). */
const clientSources: Record<AwsClient, { imports: string; construct: string }> = {
  dynamodb: {
    imports: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
    construct: 'DynamoDBDocumentClient.from(new DynamoDBClient({}))',
  },
  sqs: { imports: "import { SQSClient } from '@aws-sdk/client-sqs';", construct: 'new SQSClient({})' },
  sms: { imports: "import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';", construct: 'new PinpointSMSVoiceV2Client({})' },
  cognito: { imports: "import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';", construct: 'new CognitoIdentityProviderClient({})' },
  kms: { imports: "import { KMSClient } from '@aws-sdk/client-kms';", construct: 'new KMSClient({})' },
};

export interface Bundle {
  readonly file: string;
  readonly bytes: number;
  readonly metafile: Metafile;
}

const options = (outfile: string) => ({ ...esbuildOptions, outExtension: undefined, outfile });

/** The bundle itself among the build's outputs (the other one is its source map). */
const moduleOutput = (metafile: Metafile) => Object.entries(metafile.outputs).find(([file]) => file.endsWith('.mjs'))![1];

const bundled = async (outfile: string, result: Promise<{ metafile?: Metafile }>): Promise<Bundle> => {
  const { metafile } = await result;
  return { file: outfile, bytes: moduleOutput(metafile!).bytes, metafile: metafile! };
};

/** The function's entry (relative to the repository root), bundled into `outdir/<name>.mjs`. */
export function bundleFunction(entry: string, name: string, outdir: string): Promise<Bundle> {
  const outfile = path.join(outdir, `${name}.mjs`);
  return bundled(outfile, build({ ...options(outfile), entryPoints: [path.join(repositoryRoot, entry)] }));
}

/** An entry that imports and constructs the given clients only, bundled into `outdir/<name>.clients.mjs`. */
export function bundleClientsOnly(clients: readonly AwsClient[], name: string, outdir: string): Promise<Bundle> {
  const outfile = path.join(outdir, `${name}.clients.mjs`);
  const contents = [
    ...clients.map((client) => clientSources[client].imports),
    `export const clients = [${clients.map((client) => clientSources[client].construct).join(', ')}];`,
  ].join('\n');
  return bundled(outfile, build({ ...options(outfile), stdin: { contents, resolveDir: repositoryRoot, loader: 'ts', sourcefile: `${name}.clients.ts` } }));
}

/** Bytes of the bundle by npm package (or by "functions/<folder>" for the repository's own code), largest first. */
export function bytesByPackage(bundle: Bundle): [string, number][] {
  const output = moduleOutput(bundle.metafile);
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    const key = match ? match[1]! : input.replace(/^(functions\/[^/]+(?:\/[^/.]+(?=\/))?).*$/, '$1');
    totals.set(key, (totals.get(key) ?? 0) + bytesInOutput);
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}
