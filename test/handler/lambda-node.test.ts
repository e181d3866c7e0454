import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LAMBDA_LOGGING, runHandlerProcess } from '../../local-aws/bundled-handler';
import { DEFAULT_RUNTIME } from '../../src/account-links-provider/handler-settings';

// Every test that runs the bundled handler (the wire and delivery tests, the demo, the bench)
// runs it through runHandlerProcess, on the Node.js of the provider's default runtime.
test('handlers run on the Node.js major version of the provider\'s default runtime, not the build\'s', async () => {
  const major = /^nodejs(\d+)\.x$/.exec(DEFAULT_RUNTIME.name)?.[1];
  expect(major).toBe('24');
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'node-version-')), 'index.js');
  writeFileSync(file, 'exports.handler = async () => { console.log({ node: process.version }); };\n');

  const invocation = await runHandlerProcess(file, { event: {}, remainingMs: 10_000, functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:f' }, {
    PATH: process.env.PATH, ...LAMBDA_LOGGING,
  });

  expect({ exitCode: invocation.exitCode, stderr: invocation.stderr }).toEqual({ exitCode: 0, stderr: '' });
  expect(invocation.records.map((r) => r.message.node)).toEqual([expect.stringMatching(new RegExp(`^v${major}\\.`))]);
  expect(process.version).not.toMatch(new RegExp(`^v${major}\\.`));
});
