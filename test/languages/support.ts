import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { lambdaNode } from '../../local-aws/lambda-node';
import { AccountLink } from '../../src';
import { READ_NONCE_CONTEXT_KEY } from '../../src/contract';

export const ROOT = path.join(__dirname, '..', '..');
export const EXAMPLES = path.join(ROOT, 'examples');

/** A command's outcome. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command; resolves with its exit status and output, whatever the status. */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Runs a command that must succeed; returns its stdout. */
export async function mustRun(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.code}):\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/**
 * The environment every app synthesizes in: the same read nonce (a synthesis otherwise
 * stamps the time), its cloud assembly in `outdir`. The apps of other languages run their
 * jsii kernel on the pinned Node.js 24 (lambdaNode()): jsii supports no older one.
 */
export function synthEnv(outdir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CDK_OUTDIR: outdir,
    CDK_CONTEXT_JSON: JSON.stringify({ [READ_NONCE_CONTEXT_KEY]: 'same-in-every-language' }),
    JSII_NODE: lambdaNode(),
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** The script that runs an app on the newest aws-cdk-lib (`node -r`): test/newest/use-newest.js. */
export const USE_NEWEST_CDK = path.join(ROOT, 'test', 'newest', 'use-newest.js');

/**
 * Synthesizes examples/app.ts (run as `cdk synth` runs it) into a new folder; returns it.
 * On the build's aws-cdk-lib (the floor of the range), or on the newest with `newestCdk`.
 */
export async function synthTypeScriptApp(options: { readonly newestCdk?: boolean } = {}): Promise<string> {
  const outdir = tempDir('app-ts-');
  await mustRun(process.execPath, [
    ...(options.newestCdk ? ['-r', USE_NEWEST_CDK] : []), require.resolve('ts-node/dist/bin'), '--prefer-ts-exts', 'app.ts',
  ], { cwd: EXAMPLES, env: synthEnv(outdir) });
  return outdir;
}

/**
 * The file of the package that `npx projen package:<target>` builds into dist/<target>: the
 * first whose path there matches `file`. Fails with what to run when the package is missing.
 */
export function builtPackage(target: string, file: RegExp): string {
  const dist = path.join(ROOT, 'dist', target);
  const found = existsSync(dist) ? filesOf(dist).find((f) => file.test(f)) : undefined;
  if (!found) throw new Error(`dist/${target} has no package: run \`npx projen package:${target}\` (\`npx projen build\` does)`);
  return path.join(dist, found);
}

/** Every file of a folder (a cloud assembly, a package), by its path inside it. */
export function filesOf(dir: string, prefix = ''): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const relative = path.posix.join(prefix, name);
    return statSync(path.join(dir, name)).isDirectory() ? filesOf(path.join(dir, name), relative) : [relative];
  });
}

/**
 * What must be the same in two cloud assemblies: the list of their files (the asset folders
 * are named by their content's hash), and the JSON of every template, asset manifest and
 * assembly manifest. tree.json is left out: it names each construct's class, and a class
 * defined in the app's own language is another class there.
 */
export function assemblyContents(dir: string): Record<string, unknown> {
  const contents: Record<string, unknown> = {};
  for (const file of filesOf(dir)) {
    if (/(\.template\.json|\.assets\.json|manifest\.json)$/.test(file)) {
      contents[file] = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    } else {
      contents[file] = path.basename(file) === 'tree.json' ? 'tree.json (not compared)' : 'present';
    }
  }
  return contents;
}

/** The stack templates of a cloud assembly, nested assemblies (the pipeline's stage) included. */
export function templateFiles(dir: string): string[] {
  return filesOf(dir).filter((file) => file.endsWith('.template.json'));
}

/** The bad values each app builds a construct from, by the name the app takes on its command line. */
export const BAD_VALUES = {
  'invalid-link-id': () => new AccountLink(new Stack(new App(), 'BadValue'), 'Link', { linkId: 'lnk-1a2b3c4d' }),
  'wait-without-status': () => new AccountLink(new Stack(new App(), 'BadValue'), 'Link', {
    linkId: 'link-1a2b3c4d', waitTimeout: Duration.minutes(5),
  }),
};

/** The message the TypeScript construct throws for a bad value. */
export function typeScriptMessage(name: keyof typeof BAD_VALUES): string {
  try {
    BAD_VALUES[name]();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${name}: the TypeScript construct did not throw`);
}
