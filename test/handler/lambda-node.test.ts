import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LAMBDA_LOGGING, runHandlerProcess } from '../../local-aws/bundled-handler';
import { LAMBDA_NODE_MAJORS, lambdaNodeMajor } from '../../local-aws/lambda-node';
import { defaultRuntime, MIN_NODE_MAJOR_VERSION, nodeMajorVersion } from '../../src/account-links-provider/handler-settings';

// Every test that runs the bundled handler (the wire and delivery tests, the demo, the bench)
// runs it through runHandlerProcess, on one of Lambda's Node.js versions: the one of
// LAMBDA_NODE_MAJOR (the test task runs the wire tests on each), else 24.
test.each(LAMBDA_NODE_MAJORS)('a handler runs on Lambda\'s Node.js %i, not the build\'s', async (major) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'node-version-')), 'index.js');
  writeFileSync(file, 'exports.handler = async () => { console.log({ node: process.version }); };\n');

  const invocation = await runHandlerProcess(file, { event: {}, remainingMs: 10_000, functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:f' }, {
    PATH: process.env.PATH, ...LAMBDA_LOGGING,
  }, major);

  expect({ exitCode: invocation.exitCode, stderr: invocation.stderr }).toEqual({ exitCode: 0, stderr: '' });
  expect(invocation.records.map((r) => r.message.node)).toEqual([expect.stringMatching(new RegExp(`^v${major}\\.`))]);
  expect(process.version).not.toMatch(new RegExp(`^v${major}\\.`));
});

test('the Node.js versions tested are those a provider can be deployed on: from the oldest it accepts to the newest runtime aws-cdk-lib knows', () => {
  expect(LAMBDA_NODE_MAJORS[0]).toBe(MIN_NODE_MAJOR_VERSION);
  expect(LAMBDA_NODE_MAJORS).toContain(nodeMajorVersion(defaultRuntime()));
  expect(LAMBDA_NODE_MAJORS).toContain(lambdaNodeMajor());
});
