import { DeadlineExceededError } from './deadline';
import { isThrottled } from './workspaces-client';

/**
 * Whether `error` (or an error it was caused by: AccountLinkApiError and the others carry
 * the API's error as `cause`) is a passing fault, one that a later call (another
 * invocation's) may well not meet, so that it delays the work rather than failing it:
 * - the API throttled the call until the time it had ran out (WorkSpaces, Organizations:
 *   isThrottled);
 * - an assumed role's credentials could not be had in that time: STS throttled, did not
 *   answer, or failed on its side (a transient AssumeRoleError of core/assume-role.ts).
 * A refusal (AccessDenied, a missing link or unit, a bad request) is not passing.
 */
export function isPassingFault(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (isThrottled(current) || isTransientCredentialsError(current)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Whether `error` ends this invocation's share of the work rather than the request, so that
 * the work is handed over to a new invocation (which tries again) instead of failing:
 * `signal`, the signal the call ran under, was aborted by anything but the deadline guard
 * (the invocation's hand-over time cut the call off), or the error is a passing fault
 * (isPassingFault). The deadline guard's abort (DeadlineExceededError) is not: its time
 * is the answer's, not another hand-over's.
 */
export function isHandOverError(error: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted && !(signal.reason instanceof DeadlineExceededError)) return true;
  return isPassingFault(error);
}

/**
 * A transient AssumeRoleError (core/assume-role.ts). Told by its name and fields, not by
 * `instanceof`: the handler loads that module in a bundle of its own, with its own copy of
 * the class.
 */
export function isTransientCredentialsError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AssumeRoleError' && (error as { transient?: unknown }).transient === true;
}
