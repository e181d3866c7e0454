import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { assemblyContents, BAD_VALUES, builtPackage, EXAMPLES, mustRun, run, synthEnv, synthTypeScriptApp, tempDir, templateFiles, typeScriptMessage } from './support';
import { packageVersion } from '../support/cdk-version';

// examples/java builds the stacks of examples/app.ts with aws-cdk-lib 2.176.0 (the floor the
// TypeScript build uses) from Maven Central and this package's Maven artifact as jsii-pacmak
// builds it (dist/java, by `npx projen package:java`).
const JAVA_APP = path.join(EXAMPLES, 'java');
const ARTIFACT = 'dev.cdk-workspaces-account-links:cdk-workspaces-account-links';
let classpath: string;
let typeScriptOut: string;

async function buildApp(): Promise<string> {
  const maven = (...args: string[]) => mustRun('mvn', ['-q', '-B', ...args], { cwd: JAVA_APP });
  // Maven keeps a release it has fetched once: drop this package's copy, so the build takes dist/java's.
  await maven('dependency:purge-local-repository', `-DmanualInclude=${ARTIFACT}`, '-DreResolve=false');
  const classpathFile = path.join(tempDir('java-classpath-'), 'classpath.txt');
  await maven('compile', 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`);
  return [path.join(JAVA_APP, 'target', 'classes'), readFileSync(classpathFile, 'utf8').trim()].join(path.delimiter);
}

function java(args: string[], outdir: string, env: NodeJS.ProcessEnv = {}) {
  // The JVM's temporary folder (where jsii's Java runtime unpacks itself) is not TMPDIR: the
  // test run's, so that the run leaves nothing behind (test/support/temp-root.ts).
  return run('java', [`-Djava.io.tmpdir=${tmpdir()}`, '-cp', classpath, 'example.ExampleApp', ...args], {
    cwd: JAVA_APP, env: { ...synthEnv(outdir), ...env },
  });
}

beforeAll(async () => {
  builtPackage('java', /\/cdk-workspaces-account-links-0\.0\.0\.jar$/);
  [typeScriptOut, classpath] = await Promise.all([synthTypeScriptApp(), buildApp()]);
}, 15 * 60_000);

test('the Java app synthesizes the same cloud assembly as the TypeScript app, asset hashes included', async () => {
  const outdir = tempDir('assembly-java-');
  const result = await java([], outdir);

  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  expect(templateFiles(outdir)).toHaveLength(7);
  expect(assemblyContents(outdir)).toEqual(assemblyContents(typeScriptOut));
}, 120_000);

test('the Java app takes aws-cdk-lib and constructs at the floor the TypeScript build uses', () => {
  const jars = classpath.split(path.delimiter).map((entry) => path.basename(entry));
  expect(jars).toContain(`aws-cdk-lib-${packageVersion('aws-cdk-lib')}.jar`);
  expect(jars).toContain(`constructs-${packageVersion('constructs')}.jar`);
});

test.each(Object.keys(BAD_VALUES) as (keyof typeof BAD_VALUES)[])('the Java app fails on %s with the message the TypeScript app gets', async (name) => {
  // jsii's Java runtime appends the JavaScript stack to an error's message, unless the jsii
  // kernel is told to leave it out (JSII_NOSTACK): the message itself is the construct's.
  const result = await java([name], tempDir('bad-java-'), { JSII_NOSTACK: '1' });

  expect(result.code).toBe(1);
  expect(result.stderr).toBe(`error: ${typeScriptMessage(name)}\n`);
}, 120_000);
