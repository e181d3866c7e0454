import type { AccountLink } from '@aws-sdk/client-workspaces';
import { createCheckClient } from './check-client';
import type { CheckOptions } from './options';
import { apiErrorName, ApiContext } from '../core/account-link-api';
import { DeadlineExceededError, withDeadline } from '../core/deadline';
import { describeLookup } from '../core/domain';
import { startWait, UNBOUNDED_WINDOW, waitForStatus } from '../core/wait-for-status';

/** The verdict on one link: the same read, gate, wait and retries as the custom resource's handler. */
export interface CheckResult {
  /** 0: the link has the required status; 1: it does not (terminal status, missing link, timeout); 2: could not check. */
  readonly exitCode: 0 | 1 | 2;
  readonly ok: boolean;
  readonly lookup: string;
  readonly required: string;
  /** Where the WorkSpaces calls went. */
  readonly endpoint: string;
  readonly link?: AccountLink;
  readonly reads: number;
  readonly waitedSeconds: number;
  readonly reason?: string;
}

/**
 * Checks one link, within the command's deadline: past it, whatever is in flight is
 * abandoned and the result says what it was waiting for (exit 2).
 */
export async function checkLink({ lookup, gate, access, timeoutSeconds }: CheckOptions): Promise<CheckResult> {
  const counter: ApiContext['counter'] = { calls: 0 };
  const start = startWait(gate, Date.now());
  const base = { lookup: describeLookup(lookup), required: gate.requiredStatus };
  const waitedSeconds = () => Math.round((Date.now() - start.startedAt) / 1000);
  let endpoint = 'WorkSpaces';
  try {
    const client = await createCheckClient(access);
    endpoint = client.endpoint;
    // A check waits in its own process: it never hands the wait over.
    const result = await withDeadline(start.startedAt + timeoutSeconds * 1000,
      (signal) => waitForStatus(lookup, gate, start, UNBOUNDED_WINDOW, { client, counter, signal }, { waitSetting: '--wait' }));
    if (result.kind === 'passed') {
      return { ...base, endpoint, exitCode: 0, ok: true, link: result.link, reads: result.state.reads, waitedSeconds: waitedSeconds() };
    }
    if (result.kind === 'failed') {
      return { ...base, endpoint, exitCode: 1, ok: false, reads: result.state.reads, waitedSeconds: waitedSeconds(), reason: result.reason };
    }
    throw new Error('a check never hands its wait over');
  } catch (error) {
    // A missing link is an answer (the requirement does not hold); any other error (access
    // denied, no credentials, validation, the service failing after retries, the deadline)
    // means the link could not be checked.
    return {
      ...base,
      endpoint,
      exitCode: apiErrorName(error) === 'ResourceNotFoundException' ? 1 : 2,
      ok: false,
      reads: counter.calls,
      waitedSeconds: waitedSeconds(),
      reason: failureReason(error, endpoint, counter.inFlight, timeoutSeconds, access.assumeRoleArn !== undefined),
    };
  }
}

/** One line on why the check could not finish. */
function failureReason(error: unknown, endpoint: string, inFlight: string | undefined, timeoutSeconds: number, assumed: boolean): string {
  if (error instanceof DeadlineExceededError) {
    const what = inFlight ? `waiting for ${endpoint} to answer ${inFlight}` : 'waiting for the next read';
    return `no verdict within ${timeoutSeconds} s (--timeout): ${what}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (!assumed && apiErrorName(error) === 'ResourceNotFoundException') {
    // The usual cause in a pipeline: its account is on neither side of the link.
    return `${message}; an account sees only the links it is on: --assume-role checks as the source or target account`;
  }
  return message;
}
