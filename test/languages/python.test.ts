import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { assemblyContents, BAD_VALUES, builtPackage, EXAMPLES, mustRun, run, synthEnv, synthTypeScriptApp, tempDir, templateFiles, typeScriptMessage } from './support';

// examples/python builds the stacks of examples/app.ts with this package's wheel as
// jsii-pacmak builds it (dist/python, by `npx projen package:python`) and the pinned
// requirements.txt, every other package from PyPI: aws-cdk-lib and constructs at the floor
// the TypeScript build uses.
const PYTHON_APP = path.join(EXAMPLES, 'python');
let python: string;
let typeScriptOut: string;

const wheel = () => builtPackage('python', /\.whl$/);

/** A fresh virtual environment; returns its bin folder. */
async function venv(): Promise<string> {
  const dir = tempDir('venv-');
  await mustRun('python3', ['-m', 'venv', dir], { cwd: PYTHON_APP });
  return path.join(dir, 'bin');
}

async function installApp(): Promise<string> {
  const wheels = path.dirname(wheel());
  const bin = await venv();
  await mustRun(path.join(bin, 'pip'), [
    'install', '--quiet', '--disable-pip-version-check', '--find-links', wheels, '-r', 'requirements.txt',
  ], { cwd: PYTHON_APP });
  return path.join(bin, 'python');
}

beforeAll(async () => {
  [typeScriptOut, python] = await Promise.all([synthTypeScriptApp(), installApp()]);
}, 15 * 60_000);

test('the Python app synthesizes the same cloud assembly as the TypeScript app, asset hashes included', async () => {
  const outdir = tempDir('assembly-python-');
  const result = await run(python, ['app.py'], { cwd: PYTHON_APP, env: synthEnv(outdir) });

  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  expect(templateFiles(outdir)).toHaveLength(7);
  expect(assemblyContents(outdir)).toEqual(assemblyContents(typeScriptOut));
}, 120_000);

test.each(Object.keys(BAD_VALUES) as (keyof typeof BAD_VALUES)[])('the Python app fails on %s with the message the TypeScript app gets', async (name) => {
  const result = await run(python, ['app.py', name], { cwd: PYTHON_APP, env: synthEnv(tempDir('bad-python-')) });

  expect(result.code).toBe(1);
  expect(result.stderr).toBe(`error: ${typeScriptMessage(name)}\n`);
}, 120_000);

test('the wheel installs alone into a fresh virtual environment: pip resolves every dependency from PyPI', async () => {
  const bin = await venv();
  const report = path.join(tempDir('pip-report-'), 'report.json');
  // What `pip install <wheel>` would install, resolved (--dry-run installs nothing).
  await mustRun(path.join(bin, 'pip'), ['install', '--quiet', '--disable-pip-version-check', '--dry-run', '--report', report, wheel()], { cwd: PYTHON_APP });
  const installs = JSON.parse(readFileSync(report, 'utf8')).install.map((i: any) => i.metadata.name);

  expect(installs).toEqual(expect.arrayContaining(['cdk-workspaces-account-links', 'aws-cdk-lib', 'constructs', 'jsii']));
}, 10 * 60_000);
