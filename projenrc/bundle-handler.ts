/**
 * Bundles the Lambda handler (lambda/index.ts) into assets/lambda/index/: an ES module,
 * index.mjs, with code splitting, so that a plain read loads only what it needs; the
 * invitation code, the hand-over's signer and the STS client of an assumed role are chunks
 * loaded on demand (dynamic imports). Also writes assets/lambda/index-chunks.json: each
 * chunk's size and whether a cold start loads it (the benchmark prints it).
 *
 * Usage: ts-node projenrc/bundle-handler.ts
 */
import { mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { build, Metafile } from 'esbuild';

const ROOT = path.join(__dirname, '..');
const OUTDIR = path.join(ROOT, 'assets', 'lambda', 'index');
const REPORT = path.join(ROOT, 'assets', 'lambda', 'index-chunks.json');

/** One output file of the bundle, for the size report. */
export interface ChunkReport {
  readonly file: string;
  readonly bytes: number;
  /** `start`: loaded by every cold start (the entry and its static imports); `on demand`: by a dynamic import. */
  readonly loaded: 'start' | 'on demand';
  /** The packages (or our own folders) it holds most of, largest first. */
  readonly holds: string[];
}

async function main(): Promise<void> {
  rmSync(OUTDIR, { recursive: true, force: true });
  mkdirSync(OUTDIR, { recursive: true });
  const { metafile } = await build({
    entryPoints: { index: path.join(ROOT, 'lambda', 'index.ts') },
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    splitting: true,
    minify: true,
    // The SDK's ES-module builds, which tree-shake best.
    mainFields: ['module', 'main'],
    outdir: OUTDIR,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    // Some bundled packages are CommonJS and require node's built-ins: an ES module has no
    // `require` of its own.
    banner: { js: 'import{createRequire as __createRequire}from"node:module";const require=__createRequire(import.meta.url);' },
    // The Lambda runtime gives the function its credentials in the environment: the SDK's
    // whole default chain (profiles, SSO, metadata services) is never used there.
    alias: { '@aws-sdk/credential-provider-node': path.join(ROOT, 'lambda', 'lambda-credentials.ts') },
    metafile: true,
    logLevel: 'warning',
  });
  const chunks = pruneUnreachable(metafile);
  writeFileSync(REPORT, JSON.stringify(chunks, null, 2) + '\n');
  const total = chunks.reduce((sum, chunk) => sum + chunk.bytes, 0);
  const atStart = chunks.filter((chunk) => chunk.loaded === 'start').reduce((sum, chunk) => sum + chunk.bytes, 0);
  process.stdout.write(`assets/lambda/index: ${chunks.length} files, ${total} bytes; a cold start loads ${atStart}\n`);
}

/**
 * Deletes the chunks nothing reachable imports (esbuild writes a chunk for every dynamic
 * import it sees, also in code that tree-shaking dropped), and reports the others.
 */
function pruneUnreachable(metafile: Metafile): ChunkReport[] {
  const outputs = metafile.outputs;
  // Dynamic-import chunks have an entryPoint too: the handler's is the one named index.mjs.
  const entry = Object.keys(outputs).find((file) => path.basename(file) === 'index.mjs')!;
  const closure = (follow: (kind: string) => boolean): Set<string> => {
    const found = new Set<string>();
    const visit = (file: string) => {
      if (found.has(file)) return;
      found.add(file);
      outputs[file].imports.filter((i) => outputs[i.path] !== undefined && follow(i.kind)).forEach((i) => visit(i.path));
    };
    visit(entry);
    return found;
  };
  const reachable = closure(() => true);
  const atStart = closure((kind) => kind === 'import-statement');
  const reports: ChunkReport[] = [];
  for (const [file, output] of Object.entries(outputs)) {
    if (!reachable.has(file)) {
      unlinkSync(path.resolve(file));
      continue;
    }
    reports.push({ file: path.basename(file), bytes: output.bytes, loaded: atStart.has(file) ? 'start' : 'on demand', holds: largestSources(output) });
  }
  return reports.sort((a, b) => (a.loaded === b.loaded ? b.bytes - a.bytes : a.loaded === 'start' ? -1 : 1));
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
