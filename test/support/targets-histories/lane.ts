/**
 * One lane of the randomized test of AccountLinkTargets (test/handler/targets-histories.test.ts):
 * `runs` histories from `seed` (fast-check replays a failure's shrunk history from `path`),
 * played against the handler in this process. Prints one line, `RESULT <json>`: whether the
 * property held, in how long, and fast-check's report of the failure (its seed, path and
 * shrunk history) if it did not.
 *
 *   node node_modules/ts-node/dist/bin --transpile-only --project test/tsconfig.json \
 *     test/support/targets-histories/lane.ts <seed> <runs> [path]
 */
import * as fc from 'fast-check';
import { InProcessTargets } from '../in-process-targets';
import { histories } from './arbitraries';
import { checkLinks } from './invariants';
import { LaneResult, RESULT_PREFIX } from './lane-result';
import { play } from './play';
import { Trace } from './trace';

async function main(): Promise<void> {
  const [seed, runs, path] = process.argv.slice(2);
  const cloud = await InProcessTargets.start();
  const started = Date.now();
  let failure: string | undefined;
  try {
    await fc.assert(fc.asyncProperty(histories, async (history) => {
      const trace = new Trace();
      try {
        const played = await play(cloud, history, trace);
        checkLinks(cloud.emulator, played);
      } catch (error) {
        const report = new Error(`${error instanceof Error ? error.message : String(error)}\nWhat happened:\n${trace}`);
        // fast-check prints the stack: the message is what tells.
        report.stack = `Error: ${report.message}`;
        throw report;
      }
    }), { seed: Number(seed), numRuns: Number(runs), path, verbose: fc.VerbosityLevel.None, includeErrorInReport: true });
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  } finally {
    await cloud.close();
  }
  const result: LaneResult = { seed: Number(seed), runs: Number(runs), ms: Date.now() - started, failure };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

void main();
