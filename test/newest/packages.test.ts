import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CDK_VERSION, packageVersion } from '../support/cdk-version';
import { CDK_NAG_MAJOR } from '../support/nag';

// jest.config.js maps these packages to this folder's: the tests of this run see the newest.
test('this run takes aws-cdk-lib, constructs and cdk-nag at the versions test/newest pins', () => {
  const pinned: Record<string, string> = JSON.parse(readFileSync(path.join(__dirname, 'package.json'), 'utf8')).devDependencies;

  expect(Object.fromEntries(Object.keys(pinned).map((name) => [name, packageVersion(name)]))).toEqual(pinned);
  expect(CDK_VERSION).toBe(pinned['aws-cdk-lib']);
  expect(CDK_NAG_MAJOR).toBe(3);
});
