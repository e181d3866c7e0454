import { WorkSpacesClient } from '@aws-sdk/client-workspaces';
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, StandardRetryToken } from '@smithy/types';

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
 * A client for one event (or one check). Nothing is shared between events, so credentials
 * or settings of one can never leak into another. `AWS_ENDPOINT_URL_WORKSPACES` is honoured
 * by the SDK.
 *
 * @param region the WorkSpaces Region; by default the SDK's (AWS_REGION, the profile, ...)
 */
export function createWorkSpacesClient(region?: string): WorkSpacesClient {
  return new WorkSpacesClient({ retryStrategy: new WorkSpacesRetryStrategy(), ...(region ? { region } : {}) });
}
