import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

// The Python, Java, .NET and Go packages need registries these machines cannot reach,
// so the build packages JavaScript only; this proves the other bindings generate.
const ROOT = path.join(__dirname, '..', '..');
let outdir: string;

beforeAll(() => {
  if (!existsSync(path.join(ROOT, '.jsii'))) {
    throw new Error('.jsii is missing: compile first (`npx projen compile`; `npx projen build` does)');
  }
  outdir = mkdtempSync(path.join(tmpdir(), 'bindings-'));
  execFileSync(process.execPath, [
    require.resolve('jsii-pacmak/bin/jsii-pacmak'), '--code-only',
    '--target', 'python', '--target', 'java', '--target', 'dotnet', '--target', 'go',
    '--outdir', outdir, ROOT,
  ], { stdio: 'pipe', env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' } });
}, 120_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const read = (file: string) => readFileSync(path.join(outdir, file), 'utf8');

test.each([
  ['python', 'python/src/cdk_workspaces_account_links/__init__.py', /class AccountLink\(/],
  ['java', 'java/src/main/java/dev/cdkworkspacesaccountlinks/AccountLink.java', /public class AccountLink /],
  ['dotnet', 'dotnet/CdkWorkspacesAccountLinks/CdkWorkspacesAccountLinks/AccountLink.cs', /public class AccountLink /],
  ['go', 'go/cdkworkspacesaccountlinks/AccountLink.go', /func NewAccountLink\(/],
])('%s bindings generate the AccountLink construct', (_target, file, declaration) => {
  expect(read(file)).toMatch(declaration);
});

test('each binding has the status enum with the API values', () => {
  expect(read('python/src/cdk_workspaces_account_links/__init__.py')).toContain('PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT = "PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT"');
  expect(read('go/cdkworkspacesaccountlinks/AccountLinkStatus.go')).toContain('"PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT"');
});
