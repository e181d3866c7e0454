import type { CloudFormationCustomResourceResponse } from 'aws-lambda';
import { DEFAULT_SEND_OPTIONS } from './time-budget';
import { httpRequest } from '../core/http-request';
import { backoffMs, RetryOptions } from '../core/retry-options';
import { sleep } from '../core/sleep';

/** Where the response went, for the log line. */
export interface SendResult {
  readonly attempts: number;
  readonly statusCode?: number;
  readonly error?: string;
}

/**
 * PUTs the response to the pre-signed `ResponseURL`, retrying 5xx answers, timeouts and
 * connection errors (a connection dropped mid-answer included) with exponential backoff. A 4xx answer is final: the URL is expired
 * or wrong, and sending again cannot help. Never throws.
 */
export async function sendResponse(
  responseUrl: string,
  response: CloudFormationCustomResourceResponse,
  options: RetryOptions = DEFAULT_SEND_OPTIONS,
): Promise<SendResult> {
  const body = JSON.stringify(response);
  let last: SendResult = { attempts: 0 };
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    await sleep(backoffMs(options, attempt));
    try {
      // The pre-signed URL is signed for an empty content type.
      const { statusCode } = await httpRequest(responseUrl, {
        method: 'PUT', headers: { 'content-type': '' }, body, timeoutMs: options.attemptTimeoutMs,
      });
      last = { attempts: attempt, statusCode };
      if (statusCode < 500) {
        return statusCode < 300 ? last : { ...last, error: `the response URL answered HTTP ${statusCode}` };
      }
    } catch (error) {
      last = { attempts: attempt, error: error instanceof Error ? error.message : String(error) };
    }
  }
  return { ...last, error: last.error ?? `the response URL answered HTTP ${last.statusCode}` };
}
