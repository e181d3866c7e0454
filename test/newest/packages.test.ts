import { CDK_VERSION, NEWEST_PINS, packageVersion } from '../support/cdk-version';
import { CDK_NAG_MAJOR } from '../support/nag';

// jest.config.js maps these packages to this folder's: the tests of this run see the newest.
test('this run takes aws-cdk-lib, constructs and cdk-nag at the versions test/newest pins', () => {
  expect(Object.fromEntries(Object.keys(NEWEST_PINS).map((name) => [name, packageVersion(name)]))).toEqual(NEWEST_PINS);
  expect(CDK_VERSION).toBe(NEWEST_PINS['aws-cdk-lib']);
  expect(CDK_NAG_MAJOR).toBe(3);
});
