import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

/** The session name assumed-role sessions carry (in the other account's CloudTrail). */
export const ROLE_SESSION_NAME = 'cdk-workspaces-account-links';

/**
 * Per attempt of the STS call: a connection that does not open, or an answer that does not
 * come, is a failed attempt (retried by the SDK) instead of a call that hangs.
 */
const STS_REQUEST_TIMEOUTS = { connectionTimeout: 3_000, requestTimeout: 5_000, throwOnRequestTimeout: true };

export interface AssumedRole {
  readonly roleArn: string;
  readonly externalId?: string;
  /** The Region whose STS endpoint is called. */
  readonly region: string;
  /** The credentials that assume the role; by default the SDK's default chain. */
  readonly masterCredentials?: AwsCredentialIdentityProvider;
}

/**
 * The role's temporary credentials, from STS AssumeRole through the SDK (its STS client
 * and credential provider). The handler imports this module only when a resource sets
 * assumeRoleArn, so that a read in the function's own account never loads the STS client.
 */
export function assumedRoleCredentials(role: AssumedRole): AwsCredentialIdentityProvider {
  return fromTemporaryCredentials({
    ...(role.masterCredentials ? { masterCredentials: role.masterCredentials } : {}),
    params: {
      RoleArn: role.roleArn,
      RoleSessionName: ROLE_SESSION_NAME,
      ...(role.externalId !== undefined ? { ExternalId: role.externalId } : {}),
    },
    clientConfig: { region: role.region, requestHandler: STS_REQUEST_TIMEOUTS },
  });
}
