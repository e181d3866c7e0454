/// <reference path="../core/sdk-endpoint-rules.d.ts" />
import { Sha256 } from '@aws-crypto/sha256-js';
import { bdd as lambdaRules } from '@aws-sdk/client-lambda/dist-cjs/endpoint/bdd';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { DEFAULT_INVOKE_OPTIONS } from './time-budget';
import { Service, serviceEndpoint } from '../core/endpoints';
import { HttpRequestError, HttpResponse } from '../core/http-request';
import { backoffMs, RetryOptions } from '../core/retry-options';
import { signedPost } from '../core/signed-post';
import { sleep } from '../core/sleep';

/** Lambda, for its endpoints. */
export const LAMBDA_SERVICE: Service = { name: 'lambda', rules: lambdaRules };

export interface InvokeSelfOptions {
  /** The function's own ARN (`context.invokedFunctionArn`). */
  readonly functionArn: string;
  readonly payload: unknown;
  /** The function role's credentials (never an assumed role's). */
  readonly credentials: AwsCredentialIdentityProvider;
}

/**
 * What became of the asynchronous Invoke. Lambda's Invoke API reference: "Error codes are
 * reserved for errors that prevent your function from executing" (TooManyRequestsException,
 * HTTP 429, among them), and an `Event` invocation is accepted with 202. So:
 * - `accepted`: Lambda answered 202; a successor runs (more than one, by Lambda's duplicate
 *   deliveries: they reach the same verdict, and AccountLinkTargets' ledger lets one act), or
 *   none, if Lambda drops the event ("events may be lost"): the resource's ServiceTimeout
 *   then ends the wait.
 * - `refused`: Lambda answered an error of 4xx (429 included, after its retries), or no
 *   attempt could connect: nothing was queued, no successor runs, so this invocation must answer.
 * - `unknown`: an attempt connected and sent, then got no answer (a timeout, a reset) or a
 *   5xx: Lambda may have queued it, so a successor may run and this invocation must not
 *   answer, or it could contradict it. Such an attempt is never repeated: a second accepted
 *   Invoke would start a second chain, and both would answer.
 */
export type InvokeOutcome =
  | { readonly kind: 'accepted'; readonly attempts: number }
  | { readonly kind: 'refused' | 'unknown'; readonly attempts: number; readonly detail: string };

/**
 * Invokes the function asynchronously (Lambda `Invoke`, InvocationType `Event`): one
 * SigV4-signed REST call made with the SDK's own signer, so that the bundle does not carry
 * a whole Lambda client (~60 KB) for it. `AWS_ENDPOINT_URL_LAMBDA` overrides the endpoint,
 * as it does for the SDK. Retries, with backoff, only what cannot have been queued:
 * throttling (429) and attempts that could not connect. Another 4xx is final; an attempt
 * that may have been queued ends the hand-over as `unknown`. Never throws.
 */
export async function invokeSelf(options: InvokeSelfOptions, retry: RetryOptions = DEFAULT_INVOKE_OPTIONS): Promise<InvokeOutcome> {
  const [, partitionId, , region] = options.functionArn.split(':');
  if (!region || !partitionId) {
    return { kind: 'refused', attempts: 0, detail: `cannot read the Region of function ARN ${JSON.stringify(options.functionArn)}` };
  }
  const signer = new SignatureV4({ service: 'lambda', region, credentials: options.credentials, sha256: Sha256 });
  let detail = '';
  let throttled = 0;
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    await sleep(backoffMs(retry, attempt));
    let answer: HttpResponse;
    try {
      answer = await sendInvoke(options, signer, region, retry.attemptTimeoutMs);
    } catch (error) {
      const message = `Lambda Invoke failed: ${error instanceof Error ? error.message : String(error)}`;
      // Connected: the request may have reached Lambda, which may have queued it.
      if (error instanceof HttpRequestError && error.connected) return { kind: 'unknown', attempts: attempt, detail: message };
      // Never connected (or never left: signing failed): Lambda cannot have received it.
      detail = message;
      continue;
    }
    const { statusCode } = answer;
    if (statusCode === 202) return { kind: 'accepted', attempts: attempt };
    if (statusCode >= 500) return { kind: 'unknown', attempts: attempt, detail: `Lambda Invoke answered ${describeAnswer(answer)}` };
    if (statusCode !== 429) {
      // A definite refusal (permission, unknown function, payload too large): retrying cannot help.
      return { kind: 'refused', attempts: attempt, detail: `Lambda Invoke answered ${describeAnswer(answer)}` };
    }
    throttled++;
    detail = `Lambda throttled the Invoke (${describeAnswer(answer)})`;
  }
  const times = throttled === retry.attempts ? ` on each of ${retry.attempts} attempts` : ` (${retry.attempts} attempts)`;
  return { kind: 'refused', attempts: retry.attempts, detail: `${detail}${times}` };
}

async function sendInvoke(options: InvokeSelfOptions, signer: SignatureV4, region: string, timeoutMs: number): Promise<HttpResponse> {
  const endpoint = serviceEndpoint(LAMBDA_SERVICE, region);
  return signedPost(signer, {
    url: new URL(`/2015-03-31/functions/${encodeURIComponent(options.functionArn)}/invocations`, endpoint),
    headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'Event' },
    body: JSON.stringify(options.payload),
    timeoutMs,
  });
}

/** `HTTP 429 TooManyRequestsException: Rate Exceeded.`: the status, Lambda's error type and message (or the body's start). */
function describeAnswer({ statusCode, headers, body }: HttpResponse): string {
  let message: string | undefined;
  try {
    const parsed = JSON.parse(body) as { message?: unknown; Message?: unknown };
    const text = parsed.message ?? parsed.Message;
    if (typeof text === 'string') message = text;
  } catch {
    // not JSON: the body as it is
  }
  const type = headers['x-amzn-errortype']?.split(':')[0];
  const said = message ?? body.slice(0, 300);
  return `HTTP ${statusCode}${type ? ` ${type}` : ''}${said ? `: ${said}` : ''}`;
}
