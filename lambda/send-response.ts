import type { CloudFormationCustomResourceResponse } from 'aws-lambda';
import { httpRequest } from './http-request';
import { sleep } from './sleep';

export interface SendOptions {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Delay before the first retry; it doubles with each further retry. */
  readonly baseDelayMs: number;
  /** Time allowed for one attempt. */
  readonly attemptTimeoutMs: number;
}

/**
 * Five attempts, 0.5 + 1 + 2 + 4 s of backoff and at most 4 s an attempt: the worst case
 * (27.5 s) is what the handler keeps in reserve to answer (time-budget.ts).
 */
export const DEFAULT_SEND_OPTIONS: SendOptions = { attempts: 5, baseDelayMs: 500, attemptTimeoutMs: 4_000 };

/** Worst-case time sendResponse may take with `options`. */
export function worstCaseSendMs(options: SendOptions = DEFAULT_SEND_OPTIONS): number {
  const backoff = options.baseDelayMs * (2 ** (options.attempts - 1) - 1);
  return backoff + options.attempts * options.attemptTimeoutMs;
}

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
  options: SendOptions = DEFAULT_SEND_OPTIONS,
): Promise<SendResult> {
  const body = JSON.stringify(response);
  let last: SendResult = { attempts: 0 };
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    if (attempt > 1) {
      await sleep(options.baseDelayMs * 2 ** (attempt - 2));
    }
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
