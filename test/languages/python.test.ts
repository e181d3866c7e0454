import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { assemblyContents, BAD_VALUES, EXAMPLES, mustRun, ROOT, run, synthEnv, synthTypeScriptApp, tempDir, templateFiles, typeScriptMessage } from './support';

// examples/python builds the stacks of examples/app.ts with this package's wheel as
// jsii-pacmak builds it (dist/python, by `npx projen package:python`) and the pinned
// requirements.txt, from PyPI but for two: PyPI does not serve this machine aws-cdk-lib
// 2.276.0 (its newest is 2.275.0) nor the aws-cdk.cloud-assembly-schema it bundles on npm,
// 55.6.0 (newest 55.4.0, whose manifest asks for another minimum CLI version), so their
// wheels are built here by jsii-pacmak from the npm registry's packages (node_modules): the
// assemblies their PyPI wheels are built from.
const BUILT_HERE = ['aws-cdk-lib', '@aws-cdk/cloud-assembly-schema'];
const PYTHON_APP = path.join(EXAMPLES, 'python');
let python: string;
let typeScriptOut: string;

async function installApp(): Promise<string> {
  const wheels = path.join(ROOT, 'dist', 'python');
  if (!existsSync(wheels) || !readdirSync(wheels).some((f) => f.endsWith('.whl'))) {
    throw new Error('dist/python has no wheel: run `npx projen package:python` (`npx projen build` does)');
  }
  const cdkWheels = tempDir('aws-cdk-lib-python-');
  await mustRun(process.execPath, [
    require.resolve('jsii-pacmak/bin/jsii-pacmak'), '--target', 'python', '--outdir', cdkWheels,
    ...BUILT_HERE.map((name) => path.join(ROOT, 'node_modules', name)),
  ], { cwd: ROOT });
  const venv = tempDir('venv-');
  await mustRun('python3', ['-m', 'venv', venv], { cwd: PYTHON_APP });
  const bin = path.join(venv, 'bin');
  await mustRun(path.join(bin, 'pip'), [
    'install', '--quiet', '--disable-pip-version-check',
    '--find-links', path.join(cdkWheels, 'python'), '--find-links', wheels, '-r', 'requirements.txt',
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
  expect(templateFiles(outdir)).toHaveLength(6);
  expect(assemblyContents(outdir)).toEqual(assemblyContents(typeScriptOut));
}, 120_000);

test.each(Object.keys(BAD_VALUES) as (keyof typeof BAD_VALUES)[])('the Python app fails on %s with the message the TypeScript app gets', async (name) => {
  const result = await run(python, ['app.py', name], { cwd: PYTHON_APP, env: synthEnv(tempDir('bad-python-')) });

  expect(result.code).toBe(1);
  expect(result.stderr).toBe(`error: ${typeScriptMessage(name)}\n`);
}, 120_000);
