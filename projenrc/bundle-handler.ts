/**
 * Bundles the Lambda handler into assets/lambda/index/: index.js (lambda/index.ts), which
 * every invocation loads, and one file for each module the handler loads only when an event
 * needs it (ON_DEMAND_MODULES): a lookup's cold start loads index.js alone
 * (HANDLER_BUDGET). CommonJS files rather than esbuild's ES-module code splitting:
 * splitting puts whatever two sides reach through the SDK's barrel modules into chunks
 * every cold start loads, and an ES module costs node more to load than CommonJS. Yet no
 * module is carried twice: an on-demand file takes the modules index.js holds from
 * index.js at run time (bundle-shared-modules.ts), and index.js exports those; and what
 * the SDK's modules hold that the handler never runs stays out (bundle-sdk-trims.ts). Also
 * writes assets/lambda/index-chunks.json: each file's size, whether a cold start loads it
 * and what it holds (the benchmark prints it).
 *
 * Usage: ts-node projenrc/bundle-handler.ts
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { build, BuildOptions, Metafile, Plugin } from 'esbuild';
import { NO_EVENT_STREAMS, SDK_ENDPOINT_RULES_AS_MODULES, SDK_PACKAGE_VERSION_ONLY, SMITHY_ENTRY_POINTS_PURE } from './bundle-sdk-trims';
import { IndexModules, Sharing, TakenNames } from './bundle-shared-modules';
import { MIN_NODE_MAJOR_VERSION } from '../src/account-links-provider/handler-settings';

const ROOT = path.join(__dirname, '..');
const OUTDIR = path.join(ROOT, 'assets', 'lambda', 'index');
const REPORT = path.join(ROOT, 'assets', 'lambda', 'index-chunks.json');
const HANDLER = 'lambda/index.ts';

/** A module the handler loads when it first needs it, bundled into a file of its own next to index.js. */
interface OnDemandModule {
  /** Its source, from the root. */
  readonly source: string;
  readonly file: string;
  /** Which of index.js's modules it takes from index.js rather than carry copies of. */
  readonly sharing: Sharing;
  readonly options?: BuildOptions;
}

const ON_DEMAND_MODULES: OnDemandModule[] = [
  // A resource that sets assumeRoleArn (lambda/function-client.ts): the SDK's STS client and
  // credential provider. It takes only our own modules from index.js: its SDK client uses
  // most of @smithy/core, which index.js, and every cold start, would then carry whole.
  {
    source: 'core/assume-role.ts',
    file: 'assume-role.js',
    sharing: 'ours',
    options: {
      // The Lambda runtime gives the function its credentials in the environment: the SDK's
      // whole default chain (profiles, SSO, metadata services) that the STS client would
      // bring is never used there.
      alias: { '@aws-sdk/credential-provider-node': path.join(ROOT, 'lambda', 'lambda-credentials.ts') },
      plugins: [NO_EVENT_STREAMS],
    },
  },
  // The resource types a lookup never is (lambda/handle-event.ts): AccountLinkTargets (its
  // Organizations and ledger code with it), and the invitation and the acceptance.
  { source: 'lambda/targets/handler.ts', file: 'targets.js', sharing: 'all' },
  { source: 'lambda/resources/invitation.ts', file: 'invitation.js', sharing: 'all' },
  { source: 'lambda/resources/acceptance.ts', file: 'acceptance.js', sharing: 'all' },
  // A hand-over (lambda/index.ts): Lambda's Invoke and Lambda's endpoint rules.
  { source: 'lambda/invoke-self.ts', file: 'invoke-self.js', sharing: 'all' },
];

/**
 * A load of an on-demand module (`await import('./x.js')`, or `require('./x')` where jest
 * runs the handler's sources in process): left to run time, of its file next to index.js.
 */
const ON_DEMAND: Plugin = {
  name: 'on-demand-modules',
  setup(onDemand) {
    onDemand.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind !== 'dynamic-import' && args.kind !== 'require-call') return undefined;
      const source = path.relative(ROOT, path.resolve(args.resolveDir, args.path.replace(/\.js$/, '') + '.ts')).split(path.sep).join('/');
      const module = ON_DEMAND_MODULES.find((m) => m.source === source);
      return module ? { path: `./${module.file}`, external: true } : undefined;
    });
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
  absWorkingDir: ROOT,
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
  plugins: [ON_DEMAND, SDK_ENDPOINT_RULES_AS_MODULES, SMITHY_ENTRY_POINTS_PURE, SDK_PACKAGE_VERSION_ONLY],
};

function optionsOf(module: OnDemandModule): BuildOptions {
  return {
    ...COMMON,
    ...module.options,
    entryPoints: [path.join(ROOT, module.source)],
    outfile: path.join(OUTDIR, module.file),
    plugins: [...COMMON.plugins!, ...(module.options?.plugins ?? [])],
  };
}

async function main(): Promise<void> {
  rmSync(OUTDIR, { recursive: true, force: true });
  mkdirSync(OUTDIR, { recursive: true });
  const handler: BuildOptions = { ...COMMON, entryPoints: [path.join(ROOT, HANDLER)], outfile: path.join(OUTDIR, 'index.js') };
  // What index.js holds, then which of those modules each on-demand file takes, and what of them.
  const indexModules = IndexModules.of((await build({ ...handler, write: false })).metafile!);
  const taken: TakenNames = new Map();
  for (const module of ON_DEMAND_MODULES) {
    for (const [key, names] of await indexModules.takenBy(optionsOf(module), module.sharing)) {
      taken.set(key, new Set([...taken.get(key) ?? [], ...names]));
    }
  }
  const index = await build({
    ...handler,
    entryPoints: undefined,
    stdin: { contents: indexModules.entry(HANDLER, taken), resolveDir: ROOT, sourcefile: 'index.js', loader: 'js' },
  });
  const chunks = report(index.metafile!, 'start');
  for (const module of ON_DEMAND_MODULES) {
    const options = optionsOf(module);
    const bundle = await build({ ...options, plugins: [indexModules.plugin(module.sharing, 'take'), ...options.plugins!] });
    // Two copies of a module would be two instances of it: two states, two classes an `instanceof` tells apart.
    const copies = indexModules.copiesIn(bundle.metafile!, module.sharing);
    if (copies.length > 0) {
      throw new Error(`${module.file} carries copies of ${copies.join(', ')}, which index.js holds: import them with import statements, which it takes from index.js`);
    }
    chunks.push(...report(bundle.metafile!, 'on demand'));
  }
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
    // A module taken from index.js (`from-index-js:core/sleep.ts`) is held there.
    if (/^[a-z-]+:/.test(input)) continue;
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
