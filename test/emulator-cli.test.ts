import { ChildProcess } from 'node:child_process';
import { startEmulatorBin } from './support/emulator-bin';

const children: ChildProcess[] = [];

function emulatorCli(...args: string[]) {
  const bin = startEmulatorBin(...args);
  children.push(bin.child);
  return bin;
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
