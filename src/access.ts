import { Token } from 'aws-cdk-lib';
import { AccountLinkAccessOptions } from './access-options';
import { AccountLinksProvider } from './account-links-provider';
import { AccessResourceProperties, accessProblem, Property } from './contract';
import type { PropChecks } from './synth-checks';

/**
 * The resource properties for `options`, after checking literal values at synth time;
 * grants the handler `sts:AssumeRole` on the role, if there is one.
 */
export function accessProperties(
  check: PropChecks, provider: AccountLinksProvider, options: AccountLinkAccessOptions,
): AccessResourceProperties {
  const problem = accessProblem(options, ACCESS_OPTION_NAMES, Token.isUnresolved);
  if (problem) check.fail(problem);
  const { assumeRoleArn, externalId, region } = options;
  if (assumeRoleArn !== undefined) provider._grantAssumeRole(assumeRoleArn);
  return {
    [Property.ASSUME_ROLE_ARN]: assumeRoleArn,
    [Property.EXTERNAL_ID]: externalId,
    [Property.REGION]: region,
  };
}

/** The access options' names, as a construct's user writes them. */
export const ACCESS_OPTION_NAMES = { assumeRoleArn: 'assumeRoleArn', externalId: 'externalId', region: 'region' } as const;

/** The account a literal role ARN belongs to. */
export function roleAccount(assumeRoleArn: string | undefined): string | undefined {
  return assumeRoleArn === undefined || Token.isUnresolved(assumeRoleArn) ? undefined : assumeRoleArn.split(':')[4];
}
