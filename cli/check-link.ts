import type { AccountLink } from '@aws-sdk/client-workspaces';
import { apiErrorName, describeLookup } from '../lambda/read-account-links';
import type { AccountLinkLookup, Gate } from '../lambda/resource-properties';
import { startWait, UNBOUNDED_WINDOW, waitForStatus } from '../lambda/wait-for-status';
import { createWorkSpacesClient } from '../lambda/workspaces-client';

/** The verdict on one link: the same read, gate, wait and retries as the custom resource's handler. */
export interface CheckResult {
  /** 0: the link has the required status; 1: it does not (terminal status, missing link, timeout); 2: could not check. */
  readonly exitCode: 0 | 1 | 2;
  readonly ok: boolean;
  readonly lookup: string;
  readonly required: string;
  readonly link?: AccountLink;
  readonly reads: number;
  readonly waitedSeconds: number;
  readonly reason?: string;
}

export async function checkLink(lookup: AccountLinkLookup, gate: Gate, region?: string): Promise<CheckResult> {
  const client = createWorkSpacesClient({ region });
  const counter = { calls: 0 };
  const start = startWait(gate, Date.now());
  const base = { lookup: describeLookup(lookup), required: gate.requiredStatus };
  const waitedSeconds = () => Math.round((Date.now() - start.startedAt) / 1000);
  try {
    // A check waits in its own process: it never hands the wait over.
    const result = await waitForStatus(lookup, gate, start, UNBOUNDED_WINDOW, { client, counter });
    if (result.kind === 'passed') {
      return { ...base, exitCode: 0, ok: true, link: result.link, reads: result.state.reads, waitedSeconds: waitedSeconds() };
    }
    if (result.kind === 'failed') {
      return { ...base, exitCode: 1, ok: false, reads: result.state.reads, waitedSeconds: waitedSeconds(), reason: result.reason };
    }
    throw new Error('a check never hands its wait over');
  } catch (error) {
    // A missing link is an answer (the requirement does not hold); any other error (access
    // denied, no credentials, validation, the service failing after retries) means the
    // link could not be checked.
    return {
      ...base,
      exitCode: apiErrorName(error) === 'ResourceNotFoundException' ? 1 : 2,
      ok: false,
      reads: counter.calls,
      waitedSeconds: waitedSeconds(),
      reason: error instanceof Error ? error.message : String(error),
    };
  } finally {
    client.destroy();
  }
}
