import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** A running `workspaces-account-links-emulator` process and what it printed. */
export interface EmulatorBin {
  readonly child: ChildProcess;
  /** The endpoint it printed, once it listens (rejects if it exits first). */
  readonly endpoint: Promise<string>;
  readonly exited: Promise<number>;
  output(): { stdout: string; stderr: string };
}

/** Starts the emulator bin from its TypeScript source (the built one is lib/emulator/cli.js), in the repository's root. */
export function startEmulatorBin(...args: string[]): EmulatorBin {
  return startEmulatorBinWith({}, ...args);
}

/** As startEmulatorBin, with Node.js options before the program's (such as `--require` of a preload). */
export function startEmulatorBinWith(options: { nodeArgs?: string[] }, ...args: string[]): EmulatorBin {
  const child = spawn(process.execPath, [...options.nodeArgs ?? [], require.resolve('ts-node/dist/bin'), 'src/emulator/cli.ts', ...args], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  const endpoint = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const match = /AWS_ENDPOINT_URL_WORKSPACES=(\S+)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  return { child, endpoint, exited, output: () => ({ stdout, stderr }) };
}
