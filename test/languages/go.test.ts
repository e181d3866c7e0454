import * as path from 'node:path';
import { assemblyContents, BAD_VALUES, builtPackage, EXAMPLES, mustRun, run, synthEnv, synthTypeScriptApp, tempDir, templateFiles, typeScriptMessage } from './support';

// examples/go builds the stacks of examples/app.ts with aws-cdk-lib v2.176.0 (the floor the
// TypeScript build uses) from the Go module proxy and this package's Go module as jsii-pacmak
// builds it (dist/go, by `npx projen package:go`).
const GO_APP = path.join(EXAMPLES, 'go');
let binary: string;
let typeScriptOut: string;

beforeAll(async () => {
  builtPackage('go', /^cdkworkspacesaccountlinks\/go\.mod$/);
  binary = path.join(tempDir('app-go-'), 'example-app');
  [typeScriptOut] = await Promise.all([
    synthTypeScriptApp(),
    mustRun('go', ['build', '-o', binary, '.'], { cwd: GO_APP }),
  ]);
}, 15 * 60_000);

test('the Go app synthesizes the same cloud assembly as the TypeScript app, asset hashes included', async () => {
  const outdir = tempDir('assembly-go-');
  const result = await run(binary, [], { cwd: GO_APP, env: synthEnv(outdir) });

  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  expect(templateFiles(outdir)).toHaveLength(7);
  expect(assemblyContents(outdir)).toEqual(assemblyContents(typeScriptOut));
}, 120_000);

test.each(Object.keys(BAD_VALUES) as (keyof typeof BAD_VALUES)[])('the Go app fails on %s with the message the TypeScript app gets', async (name) => {
  const result = await run(binary, [name], { cwd: GO_APP, env: synthEnv(tempDir('bad-go-')) });

  expect(result.code).toBe(1);
  expect(result.stderr).toBe(`error: ${typeScriptMessage(name)}\n`);
}, 120_000);
