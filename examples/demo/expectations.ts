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
