import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

// `npm run --silent demo -- --json | jq .` and `npm run --silent bench -- --json` bundle the
// handler first: the bundling script's report must not mix with their JSON on stdout.
test('the handler\'s bundling script reports on stderr and writes nothing on stdout', () => {
  const result = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--project', 'projenrc/tsconfig.json', 'projenrc/bundle-handler.ts'],
    { cwd: ROOT, encoding: 'utf8' });
  expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 0, stdout: '' });
  expect(result.stderr).toMatch(/^assets\/lambda\/index: 2 files, \d+ bytes; a cold start loads \d+$/m);
}, 120_000);
