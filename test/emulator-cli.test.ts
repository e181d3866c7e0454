import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const children: ChildProcess[] = [];

/** Starts the emulator bin from its TypeScript source (the built one is lib/emulator/cli.js). */
function emulatorCli(...args: string[]) {
  const child = spawn(process.execPath, [require.resolve('ts-node/dist/bin'), 'src/emulator/cli.ts', ...args], { cwd: ROOT });
  children.push(child);
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
  return { endpoint, exited, output: () => ({ stdout, stderr }) };
}

afterAll(() => children.forEach((c) => c.kill()));

test('serves a links file on loopback until stopped', async () => {
  const cli = emulatorCli('--links', 'examples/links.json', '--port', '0');
  const endpoint = await cli.endpoint;
  expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(cli.output().stdout).toContain('4 links on');

  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'WorkspacesService.ListAccountLinks' },
    body: JSON.stringify({ LinkStatusFilter: ['REJECTED'] }),
  });
  expect((await res.json() as any).AccountLinks.map((l: any) => l.AccountLinkId)).toEqual(['link-9a8b7c6d']);

  children[children.length - 1].kill('SIGTERM');
  expect(await cli.exited).toBe(0);
}, 60_000);

test.each([
  [[], /--links is required/],
  [['--links', 'no-such-file.json'], /cannot read links file no-such-file.json/],
  [['--links', 'examples/links.json', '--port', 'eighty'], /--port eighty is not a port number/],
])('%j: exit status 2 with a message', async (args, message) => {
  const cli = emulatorCli(...args);
  cli.endpoint.catch(() => undefined);
  expect(await cli.exited).toBe(2);
  expect(cli.output().stderr).toMatch(message);
}, 60_000);
