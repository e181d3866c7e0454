import type { BetweenDeployments } from './between-deployments';
import { ACCOUNT_LINK_CHANGED, TargetsMetric } from '../../src/contract';

/** What each stack of examples/app.ts must come to when deployed against examples/links.json. */
export interface Expectation {
  readonly status: 'CREATE_COMPLETE' | 'ROLLBACK_COMPLETE';
  /** Outputs that must have these values. */
  readonly outputs?: Record<string, string>;
  /** The failure reason must match. */
  readonly reason?: RegExp;
}

export const EXPECTED: Record<string, Expectation> = {
  WorkSpacesAccountLinksExample: {
    status: 'CREATE_COMPLETE',
    outputs: {
      LinkId: 'link-1a2b3c4d',
      LinkStatus: 'LINKED',
      SourceAccount: '111122223333',
      TargetAccount: '444455556666',
      GatedLinkId: 'link-2c3d4e5f',
    },
  },
  WorkSpacesAccountLinksRejected: {
    status: 'ROLLBACK_COMPLETE',
    reason: /link link-9a8b7c6d is REJECTED, not LINKED/,
  },
  WorkSpacesAccountLinksSource: {
    status: 'CREATE_COMPLETE',
    outputs: { InvitedAccount: '666677778888' },
  },
  WorkSpacesAccountLinksTarget: {
    status: 'CREATE_COMPLETE',
    outputs: { LinkStatus: 'LINKED' },
  },
  WorkSpacesAccountLinksOrganization: {
    status: 'CREATE_COMPLETE',
    // 18 accounts of the unit and 6 of its nested unit; the source and a suspended account are skipped.
    outputs: { TargetCount: '24', LinkedCount: '24' },
  },
};

/** Why a stack's result differs from what is expected of it; empty when it does not. */
export function differences(stackName: string, result: { status: string; outputs: Record<string, string>; reason?: string }): string[] {
  const expected = EXPECTED[stackName];
  if (!expected) return [`no expectation for stack ${stackName}`];
  const found: string[] = [];
  if (result.status !== expected.status) found.push(`status ${result.status}, expected ${expected.status}`);
  for (const [name, value] of Object.entries(expected.outputs ?? {})) {
    if (result.outputs[name] !== value) found.push(`output ${name} is ${JSON.stringify(result.outputs[name])}, expected ${JSON.stringify(value)}`);
  }
  if (expected.reason && !expected.reason.test(result.reason ?? '')) found.push(`reason ${JSON.stringify(result.reason)} does not match ${expected.reason}`);
  return found;
}

/**
 * The run between deployments: an account joins the business unit's nested unit after the
 * Organization stack is deployed, and the next run of its schedule (reconcileEvery: an hour)
 * must link it, say so in its metrics (25 targets now, all LINKED, one invited) and send an
 * Account Link Changed event for it.
 */
export const BETWEEN_DEPLOYMENTS = {
  stackName: 'WorkSpacesAccountLinksOrganization',
  sourceAccountId: '111122223333',
  /** An account of the organization's, new to the unit (the emulator answers as it, STS lets the handler assume its accept role). */
  joiner: '310000000025',
  unitId: 'ou-ab12-research',
  linkStatus: 'LINKED',
  metrics: {
    [TargetsMetric.TARGET_COUNT]: 25,
    [TargetsMetric.LINKED_COUNT]: 25,
    [TargetsMetric.PENDING_COUNT]: 0,
    [TargetsMetric.NOT_LINKED_COUNT]: 0,
    [TargetsMetric.INVITED]: 1,
  },
} as const;

/** Why the run between deployments differs from what is expected of it; empty when it does not. */
export function betweenDeploymentsDifferences(run: BetweenDeployments): string[] {
  const expected = BETWEEN_DEPLOYMENTS;
  const found: string[] = [];
  if (run.invocations !== 1) found.push(`the schedule started ${run.invocations} invocations, expected 1`);
  if (run.link?.AccountLinkStatus !== expected.linkStatus) {
    found.push(`the link to ${expected.joiner} is ${run.link ? run.link.AccountLinkStatus : 'missing'}, expected ${expected.linkStatus}`);
  }
  for (const [name, value] of Object.entries(expected.metrics)) {
    if (run.metrics[name] !== value) found.push(`metric ${name} is ${JSON.stringify(run.metrics[name])}, expected ${value}`);
  }
  const joinerEvents = run.events.filter((e) => e.detail.targetAccountId === expected.joiner);
  const linked = joinerEvents.find((e) => e.detail.newStatus === expected.linkStatus && e.detail.observedBy === 'schedule');
  if (!linked) found.push(`no ${ACCOUNT_LINK_CHANGED} event of the run says ${expected.joiner} is ${expected.linkStatus} (${joinerEvents.length} events for it)`);
  if (run.events.length !== joinerEvents.length) found.push(`${run.events.length - joinerEvents.length} events of the run are for other accounts, expected none`);
  return found;
}
