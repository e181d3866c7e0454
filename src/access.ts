import { Token } from 'aws-cdk-lib';
import { AccountLinkAccessOptions } from './access-options';
import { AccountLinksFunction } from './account-links-function';
import { Property, REGION_PATTERN, ROLE_ARN_PATTERN } from './contract';

/**
 * The resource properties for `options`, after checking literal values at synth time;
 * grants the handler `sts:AssumeRole` on the role, if there is one.
 */
export function accessProperties(
  path: string, provider: AccountLinksFunction, options: AccountLinkAccessOptions,
): Record<string, string | undefined> {
  const fail = (message: string) => {
    throw new Error(`${path}: ${message}`);
  };
  const { assumeRoleArn, externalId, region } = options;
  if (assumeRoleArn !== undefined && !Token.isUnresolved(assumeRoleArn) && !ROLE_ARN_PATTERN.test(assumeRoleArn)) {
    fail(`assumeRoleArn ${JSON.stringify(assumeRoleArn)} is not an IAM role ARN`);
  }
  if (externalId !== undefined && assumeRoleArn === undefined) fail('externalId needs assumeRoleArn');
  if (region !== undefined && !Token.isUnresolved(region) && !REGION_PATTERN.test(region)) {
    fail(`region ${JSON.stringify(region)} is not a Region name`);
  }
  if (assumeRoleArn !== undefined) provider.grantAssumeRole(assumeRoleArn);
  return {
    [Property.ASSUME_ROLE_ARN]: assumeRoleArn,
    [Property.EXTERNAL_ID]: externalId,
    [Property.REGION]: region,
  };
}

/** The account a literal role ARN belongs to. */
export function roleAccount(assumeRoleArn: string | undefined): string | undefined {
  return assumeRoleArn === undefined || Token.isUnresolved(assumeRoleArn) ? undefined : assumeRoleArn.split(':')[4];
}
