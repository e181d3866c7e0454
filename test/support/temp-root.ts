import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * One temporary folder per test run, removed when the run ends: every temporary file of it
 * goes there, wherever it is made (an App without an outdir writes its cloud assembly to a
 * new `cdk.out*` folder; the apps, emulators and handlers the tests start make their own).
 * Node.js, Python and Go take the temporary folder from TMPDIR, which the test workers and
 * every process they start inherit.
 */
const ROOT_VARIABLE = 'ACCOUNT_LINKS_TEST_TMPDIR';

/** jest's globalSetup: makes the run's folder and points TMPDIR at it. */
export function setup(): void {
  const root = mkdtempSync(path.join(tmpdir(), 'account-links-tests-'));
  process.env[ROOT_VARIABLE] = root;
  process.env.TMPDIR = root;
}

/** jest's globalTeardown: removes the run's folder, whatever the tests left in it. */
export function teardown(): void {
  const root = process.env[ROOT_VARIABLE];
  if (root) rmSync(root, { recursive: true, force: true });
}
