import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

// The Python, Go and Java packages are built for real and proven by an app (test/languages).
// There is no .NET SDK here: this proves the .NET bindings generate.
const ROOT = path.join(__dirname, '..', '..');
let outdir: string;

beforeAll(() => {
  if (!existsSync(path.join(ROOT, '.jsii'))) {
    throw new Error('.jsii is missing: compile first (`npx projen compile`; `npx projen build` does)');
  }
  outdir = mkdtempSync(path.join(tmpdir(), 'bindings-'));
  execFileSync(process.execPath, [
    require.resolve('jsii-pacmak/bin/jsii-pacmak'), '--code-only',
    '--target', 'dotnet',
    '--outdir', outdir, ROOT,
  ], { stdio: 'pipe', env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' } });
}, 120_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const read = (file: string) => readFileSync(path.join(outdir, file), 'utf8');

test('the .NET bindings generate the AccountLink construct', () => {
  expect(read('dotnet/CdkWorkspacesAccountLinks/CdkWorkspacesAccountLinks/AccountLink.cs')).toMatch(/public class AccountLink /);
});

test('the .NET bindings have the status enum with the API values', () => {
  expect(read('dotnet/CdkWorkspacesAccountLinks/CdkWorkspacesAccountLinks/AccountLinkStatus.cs')).toContain('PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT');
});
