/**
 * AccountLinkTargets, randomized: 500 seeded histories of Create, Update and Delete of one
 * resource, as CloudFormation sends them (a failed Create rolled back by a Delete of the id
 * it answered, a failed Update by an Update back to the old properties, a stack that fails
 * elsewhere rolled back alike, the stack deleted at the end or not) and as Lambda delivers
 * them (copies at once, after the answer, racing the next request, at the very end; a first
 * invocation cut short, its hand-over delivered twice), while the world changes between
 * requests (accounts move between units, join, leave, are suspended; a unit is deleted;
 * accept roles refuse; WorkSpaces forgets its ClientTokens or loses answers; targets accept
 * or reject by themselves; others invite from the source; hours pass). Each answer is held
 * to what the world calls for as it comes, and after each history the source's links to
 * the invariants of test/support/targets-histories/invariants.ts.
 *
 * The handler is the bundle (`npx projen bundle` after changing lambda/), run in the
 * processes of the lanes (test/support/targets-histories/lane.ts), not in jest's: jest's
 * sandbox refuses its import() of the targets chunk, and four lanes keep two cores busy
 * while each waits on its calls' pacing. A failure prints fast-check's report: the lane's
 * seed and path, the shrunk history, what broke and what happened. Replay it alone with
 * HISTORIES_SEED=<seed> HISTORIES_LANES=1 HISTORIES_PATH=<path>; HISTORIES_SEED alone runs
 * 500 other histories (lane i takes seed + i).
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { LaneResult, RESULT_PREFIX } from '../support/targets-histories/lane-result';

const ROOT = path.join(__dirname, '..', '..');
const RUNS = 500;
const SEED = Number(process.env.HISTORIES_SEED ?? 20261207);
const LANES = Number(process.env.HISTORIES_LANES ?? 4);
const REPLAY_PATH = process.env.HISTORIES_PATH;

/** Runs one lane in a process of its own: its result, or why it gave none. */
function lane(seed: number, runs: number): Promise<LaneResult> {
  const child = spawn(process.execPath, [
    require.resolve('ts-node/dist/bin'), '--transpile-only', '--project', 'test/tsconfig.json',
    'test/support/targets-histories/lane.ts', String(seed), String(runs), ...(REPLAY_PATH ? [REPLAY_PATH] : []),
  ], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => {
    const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
    resolve(line ? JSON.parse(line.slice(RESULT_PREFIX.length)) as LaneResult
      : { seed, runs, ms: 0, failure: `the lane ended (exit status ${code}) without a result: ${stderr.slice(-3000)}` });
  }));
}

test(`${RUNS} histories of an AccountLinkTargets resource: each answer as the world calls for, one a request; the source's links as the requests asked`, async () => {
  const perLane = Math.ceil(RUNS / LANES);
  const results = await Promise.all(Array.from({ length: LANES }, (_, i) => lane(SEED + i, perLane)));

  const failures = results.filter((r) => r.failure !== undefined).map((r) => `lane of seed ${r.seed}: ${r.failure}`);
  expect(failures).toEqual([]);
  expect(results.reduce((sum, r) => sum + r.runs, 0)).toBeGreaterThanOrEqual(RUNS);
}, 300_000);
