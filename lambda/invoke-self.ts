import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { DEFAULT_INVOKE_OPTIONS } from './time-budget';
import { serviceEndpoint } from '../core/endpoints';
import { HttpRequestError } from '../core/http-request';
import { backoffMs, RetryOptions } from '../core/retry-options';
import { signedPost } from '../core/signed-post';
import { sleep } from '../core/sleep';

export interface InvokeSelfOptions {
  /** The function's own ARN (`context.invokedFunctionArn`). */
  readonly functionArn: string;
  readonly payload: unknown;
  /** The function role's credentials (never an assumed role's). */
  readonly credentials: AwsCredentialIdentityProvider;
}

/**
 * What became of the asynchronous Invoke. Lambda may accept an `Event` invocation although
 * its caller saw a timeout or a reset, so only two outcomes are certain:
 * - `accepted`: Lambda answered 202; a successor runs (perhaps more than one, if an earlier
 *   attempt was accepted unseen: all of them reach the same verdict).
 * - `refused`: no attempt can have been accepted (each answered 4xx other than 429, or
 *   could not even connect): no successor runs, so this invocation must answer.
 * - `unknown`: anything else (timeouts and resets after connecting, 429, 5xx): a successor
 *   may run, so this invocation must not answer, or it could contradict it.
 */
export type InvokeOutcome =
  | { readonly kind: 'accepted'; readonly attempts: number }
  | { readonly kind: 'refused' | 'unknown'; readonly attempts: number; readonly detail: string };

/**
 * Invokes the function asynchronously (Lambda `Invoke`, InvocationType `Event`): one
 * SigV4-signed REST call made with the SDK's own signer, so that the bundle does not carry
 * a whole Lambda client (~60 KB) for it. `AWS_ENDPOINT_URL_LAMBDA` overrides the endpoint,
 * as it does for the SDK. Retries throttling, 5xx, timeouts and connection errors with
 * backoff; a 4xx other than 429 is final. Never throws.
 */
export async function invokeSelf(options: InvokeSelfOptions, retry: RetryOptions = DEFAULT_INVOKE_OPTIONS): Promise<InvokeOutcome> {
  const [, partitionId, , region] = options.functionArn.split(':');
  if (!region || !partitionId) {
    return { kind: 'refused', attempts: 0, detail: `cannot read the Region of function ARN ${JSON.stringify(options.functionArn)}` };
  }
  const signer = new SignatureV4({ service: 'lambda', region, credentials: options.credentials, sha256: Sha256 });
  let mayHaveBeenAccepted = false;
  let detail = '';
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    await sleep(backoffMs(retry, attempt));
    try {
      const { statusCode, body } = await sendInvoke(options, signer, region, retry.attemptTimeoutMs);
      if (statusCode === 202) {
        return { kind: 'accepted', attempts: attempt };
      }
      detail = `Lambda Invoke answered HTTP ${statusCode}: ${body.slice(0, 300)}`;
      if (statusCode !== 429 && statusCode < 500) {
        // A definite refusal (permission, unknown function, payload too large): retrying cannot help.
        return { kind: mayHaveBeenAccepted ? 'unknown' : 'refused', attempts: attempt, detail };
      }
      mayHaveBeenAccepted = true;
    } catch (error) {
      detail = `Lambda Invoke failed: ${error instanceof Error ? error.message : String(error)}`;
      // A request that never reached a connection (or never left: signing failed) was not received.
      if (error instanceof HttpRequestError && error.connected) {
        mayHaveBeenAccepted = true;
      }
    }
  }
  return { kind: mayHaveBeenAccepted ? 'unknown' : 'refused', attempts: retry.attempts, detail };
}

async function sendInvoke(options: InvokeSelfOptions, signer: SignatureV4, region: string, timeoutMs: number) {
  const endpoint = serviceEndpoint('lambda', region);
  return signedPost(signer, {
    url: new URL(`/2015-03-31/functions/${encodeURIComponent(options.functionArn)}/invocations`, endpoint),
    headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'Event' },
    body: JSON.stringify(options.payload),
    timeoutMs,
  });
}
