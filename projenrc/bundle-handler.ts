/**
 * Bundles the Lambda handler into assets/lambda/index/: index.js (lambda/index.ts), what
 * every invocation loads, and assume-role.js (core/assume-role.ts: the SDK's STS client
 * and credential provider), which the handler requires only for a resource that sets
 * assumeRoleArn. Two self-contained CommonJS bundles rather than esbuild's ES-module code
 * splitting: splitting puts whatever both sides reach through the SDK's barrel modules into
 * chunks every cold start loads, and an ES module costs node more to load than CommonJS.
 * Also writes assets/lambda/index-chunks.json: each file's size, whether a cold start
 * loads it and what it holds (the benchmark prints it).
 *
 * Usage: ts-node projenrc/bundle-handler.ts
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { build, BuildOptions, Metafile, Plugin } from 'esbuild';
import { MIN_NODE_MAJOR_VERSION } from '../src/account-links-provider/handler-settings';

const ROOT = path.join(__dirname, '..');
const OUTDIR = path.join(ROOT, 'assets', 'lambda', 'index');
const REPORT = path.join(ROOT, 'assets', 'lambda', 'index-chunks.json');

/**
 * The module the handler loads on demand (lambda/function-client.ts imports it
 * dynamically): kept out of index.js, and loaded from next to it at run time.
 */
const ON_DEMAND: Plugin = {
  name: 'assume-role-on-demand',
  setup(onDemand) {
    onDemand.onResolve({ filter: /\/core\/assume-role\.js$/ }, (args) => (args.kind === 'dynamic-import' ? { path: './assume-role.js', external: true } : undefined));
  },
};

/**
 * The SDK clients' endpoint rules (core/endpoints.ts imports their CommonJS files, which
 * jest loads in process): bundled from the ES-module builds instead, whose imports share
 * the one @smithy/core the rest of the bundle uses.
 */
export const SDK_ENDPOINT_RULES_AS_MODULES: Plugin = {
  name: 'sdk-endpoint-rules-as-modules',
  setup(rules) {
    rules.onResolve({ filter: /^@aws-sdk\/client-[a-z]+\/dist-cjs\/endpoint\/bdd$/ }, (args) => ({
      path: require.resolve(args.path.replace('/dist-cjs/', '/dist-es/') + '.js', { paths: [ROOT] }),
    }));
  },
};

/** One output file of the bundle, for the size report. */
export interface ChunkReport {
  readonly file: string;
  readonly bytes: number;
  /** `start`: loaded by every cold start; `on demand`: only by a resource that needs it. */
  readonly loaded: 'start' | 'on demand';
  /** The packages (or our own folders) it holds most of, largest first. */
  readonly holds: string[];
}

const COMMON: BuildOptions = {
  bundle: true,
  platform: 'node',
  // The oldest Node.js runtime a provider may run on.
  target: `node${MIN_NODE_MAJOR_VERSION}`,
  format: 'cjs',
  minify: true,
  // The SDK's ES-module builds, which tree-shake best.
  mainFields: ['module', 'main'],
  metafile: true,
  logLevel: 'warning',
};

async function main(): Promise<void> {
  rmSync(OUTDIR, { recursive: true, force: true });
  mkdirSync(OUTDIR, { recursive: true });
  const handler = await build({
    ...COMMON,
    entryPoints: [path.join(ROOT, 'lambda', 'index.ts')],
    outfile: path.join(OUTDIR, 'index.js'),
    plugins: [ON_DEMAND, SDK_ENDPOINT_RULES_AS_MODULES],
  });
  const assumeRole = await build({
    ...COMMON,
    entryPoints: [path.join(ROOT, 'core', 'assume-role.ts')],
    outfile: path.join(OUTDIR, 'assume-role.js'),
    // The Lambda runtime gives the function its credentials in the environment: the SDK's
    // whole default chain (profiles, SSO, metadata services) that the STS client would
    // bring is never used there.
    alias: { '@aws-sdk/credential-provider-node': path.join(ROOT, 'lambda', 'lambda-credentials.ts') },
  });
  const chunks = [...report(handler.metafile!, 'start'), ...report(assumeRole.metafile!, 'on demand')];
  writeFileSync(REPORT, JSON.stringify(chunks, null, 2) + '\n');
  const total = chunks.reduce((sum, chunk) => sum + chunk.bytes, 0);
  const atStart = chunks.filter((chunk) => chunk.loaded === 'start').reduce((sum, chunk) => sum + chunk.bytes, 0);
  // On stderr: the tasks that bundle first (demo, bench) print JSON on stdout.
  process.stderr.write(`assets/lambda/index: ${chunks.length} files, ${total} bytes; a cold start loads ${atStart}\n`);
}

function report(metafile: Metafile, loaded: ChunkReport['loaded']): ChunkReport[] {
  return Object.entries(metafile.outputs).map(([file, output]) => ({
    file: path.basename(file), bytes: output.bytes, loaded, holds: largestSources(output),
  }));
}

/** The three largest sources of an output, by package (or folder of ours). */
function largestSources(output: Metafile['outputs'][string]): string[] {
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const parts = input.split('/');
    const at = parts.lastIndexOf('node_modules');
    const name = at < 0 ? parts.slice(0, -1).join('/') || input : parts.slice(at + 1, at + (parts[at + 1].startsWith('@') ? 3 : 2)).join('/');
    bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
  }
  return [...bytes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).filter(([, n]) => n > 0).map(([name]) => name);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
