import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { ChunkReport } from '../../projenrc/bundle-handler';
import { HANDLER_BUDGET } from '../../projenrc/handler-budget';

const ROOT = path.join(__dirname, '..', '..');
const ASSET = path.join(ROOT, 'assets', 'lambda', 'index');

let result: SpawnSyncReturns<string>;
beforeAll(() => {
  result = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--project', 'projenrc/tsconfig.json', 'projenrc/bundle-handler.ts'],
    { cwd: ROOT, encoding: 'utf8' });
}, 120_000);

// `npm run --silent demo -- --json | jq .` and `npm run --silent bench -- --json` bundle the
// handler first: the bundling script's report must not mix with their JSON on stdout.
test('the handler\'s bundling script reports on stderr and writes nothing on stdout', () => {
  expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 0, stdout: '' });
  expect(result.stderr).toMatch(/^assets\/lambda\/index: \d+ files, \d+ bytes; a cold start loads \d+$/m);
});

// A lookup's cold start loads index.js alone; the writes, the targets, the hand-over and the
// assumed role load on demand, taking the modules index.js holds from it rather than carry
// copies (the script fails on a copy), so that the whole asset stays within the benchmark's budget.
test('a cold start loads at most 75,000 bytes, and the whole handler at most 300 KB', () => {
  expect(result.status).toBe(0);
  const chunks = JSON.parse(readFileSync(path.join(ROOT, 'assets', 'lambda', 'index-chunks.json'), 'utf8')) as ChunkReport[];
  const atStart = chunks.filter((chunk) => chunk.loaded === 'start');
  expect(atStart.map((chunk) => chunk.file)).toEqual(['index.js']);
  expect(atStart[0].bytes).toBeLessThanOrEqual(HANDLER_BUDGET.coldStartBytes);
  const files = readdirSync(ASSET);
  expect(files.sort()).toEqual(chunks.map((chunk) => chunk.file).sort());
  expect(files.reduce((sum, file) => sum + statSync(path.join(ASSET, file)).size, 0)).toBeLessThanOrEqual(HANDLER_BUDGET.assetBytes);
});
