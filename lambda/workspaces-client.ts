import { WorkSpacesClient } from '@aws-sdk/client-workspaces';
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { AwsCredentialIdentityProvider, RetryErrorInfo, StandardRetryToken } from '@smithy/types';
import type { Access } from './resource-properties';

/** Attempts per API call, the first included. Backoff is the SDK's (exponential, jittered). */
export const MAX_API_ATTEMPTS = 4;

/**
 * The SDK's standard retry strategy (throttling, 5xx, timeouts, connection errors), which
 * also retries `InternalServerException`. The WorkSpaces API reference documents that
 * error as HTTP 400, which the standard classification takes for a client error: it is
 * reclassified as transient, the class the strategy retries with backoff.
 */
export class WorkSpacesRetryStrategy extends StandardRetryStrategy {
  constructor(maxAttempts = MAX_API_ATTEMPTS) {
    super(maxAttempts);
  }

  public override async refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<StandardRetryToken> {
    const isInternal = (errorInfo.error as { name?: string } | undefined)?.name === 'InternalServerException';
    const info: RetryErrorInfo = isInternal && errorInfo.errorType === 'CLIENT_ERROR'
      ? { ...errorInfo, errorType: 'TRANSIENT' }
      : errorInfo;
    return super.refreshRetryTokenForRetry(token, info);
  }
}

/**
 * Per attempt: a connection that does not open, or an answer that does not come, is a
 * failed attempt (retried by the strategy) instead of a request that hangs until the
 * invocation's deadline.
 */
export const REQUEST_TIMEOUTS = { connectionTimeout: 3_000, requestTimeout: 5_000, throwOnRequestTimeout: true };

/** The session name the handler's assumed-role sessions carry (in the other account's CloudTrail). */
export const ROLE_SESSION_NAME = 'cdk-workspaces-account-links';

/**
 * A client for one event (or one check). Nothing is shared between events, so credentials
 * or settings of one (an assumed role's above all) can never leak into another.
 * `AWS_ENDPOINT_URL_WORKSPACES` (and `AWS_ENDPOINT_URL_STS`) are honoured by the SDK.
 *
 * @param access the role to assume and the Region to call; by default the function's own
 * credentials and the SDK's Region (AWS_REGION, the profile, ...)
 */
export function createWorkSpacesClient(access: Access = {}): WorkSpacesClient {
  const region = access.region ?? process.env.AWS_REGION;
  return new WorkSpacesClient({
    retryStrategy: new WorkSpacesRetryStrategy(),
    requestHandler: REQUEST_TIMEOUTS,
    ...(access.region ? { region: access.region } : {}),
    ...(access.assumeRoleArn !== undefined ? { credentials: assumedRoleCredentials(access.assumeRoleArn, access.externalId, region) } : {}),
  });
}

/**
 * The assumed role's credentials (STS AssumeRole, through the SDK's
 * fromTemporaryCredentials). The STS client is loaded on the first call, so that a read in
 * the function's own account never loads it.
 */
function assumedRoleCredentials(roleArn: string, externalId: string | undefined, region: string | undefined): AwsCredentialIdentityProvider {
  let provider: Promise<AwsCredentialIdentityProvider> | undefined;
  return async (...args) => {
    provider ??= import('./assume-role.js').then(({ fromTemporaryCredentials }) => fromTemporaryCredentials({
      params: {
        RoleArn: roleArn,
        RoleSessionName: ROLE_SESSION_NAME,
        ...(externalId !== undefined ? { ExternalId: externalId } : {}),
      },
      // The STS call gets the same per-attempt timeouts: a hung STS endpoint is a failed attempt too.
      clientConfig: { ...(region ? { region } : {}), requestHandler: REQUEST_TIMEOUTS },
    }));
    return (await provider)(...args);
  };
}
