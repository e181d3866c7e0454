import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

test('a test run leaves nothing in the temporary folder, the cdk.out folders of apps made without an outdir included', async () => {
  const temporary = mkdtempSync(path.join(tmpdir(), 'test-run-'));
  try {
    const run = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(process.execPath, [
        require.resolve('jest/bin/jest'), '--ci', '--coverage=false', '--reporters=default',
        '--testMatch', '<rootDir>/test/support/fixtures/app-without-outdir.fixture.ts',
      ], { cwd: ROOT, env: { ...process.env, TMPDIR: temporary } }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, output: stdout + stderr });
      });
    });

    expect(run.output).toMatch(/Tests:\s+1 passed, 1 total/);
    expect(run.code).toBe(0);
    expect(readdirSync(temporary)).toEqual([]);
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}, 120_000);
