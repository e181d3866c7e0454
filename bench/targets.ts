import { ACCEPT_ROLE, FUNCTION_ARN, OrganizationCloud, target } from '../local-aws/organization-cloud';
import { ResourceType } from '../src/contract';

/** The two ways to link a source account to N targets. */
export type TargetsSide = 'targets' | 'pairs';

/** What linking N targets came to against the rate-limited API. */
export interface LinkedTargets {
  readonly targets: number;
  /** Targets whose link ended LINKED. */
  readonly linked: number;
  /** From the first event to the last answer. */
  readonly wallMs: number;
  /** WorkSpaces calls the emulator received, throttled ones included. */
  readonly apiCalls: number;
  readonly throttled: number;
  /** DynamoDB calls to AccountLinkTargets' ledger (none for the pairs), as the handler's log lines count them. */
  readonly ledgerCalls: number;
  /** Custom resources in the template. */
  readonly resources: number;
  readonly failure?: string;
}

/**
 * Links `count` targets, accepting through a role in each, against an API that allows
 * `rate`: one AccountLinkTargets resource (`targets`), or an AccountLinkInvitation and an
 * AccountLinkAcceptance per target (`pairs`), which CloudFormation creates all at once,
 * each acceptance after its invitation. Every event runs the bundled handler in a fresh
 * process, as Lambda does; hand-overs go through the local Lambda endpoint.
 */
export async function linkTargets(side: TargetsSide, count: number, rate: { perSecond: number; burst: number }): Promise<LinkedTargets> {
  const targets = Array.from({ length: count }, (_, i) => target(i + 1));
  const cloud = await OrganizationCloud.start({ targets, rateLimit: rate });
  const started = Date.now();
  let failure: string | undefined;
  try {
    if (side === 'targets') {
      const create = cloud.event('Create', { TargetAccountIds: targets, AcceptRoleName: ACCEPT_ROLE, CallsPerSecond: String(rate.perSecond) });
      const [answer] = await cloud.deliver(create, 1, 30 * 60_000);
      if (answer.body.Status !== 'SUCCESS') failure = answer.body.Reason;
    } else {
      const answers = await Promise.all(targets.map(async (account, i) => {
        const invitation = cloud.event('Create', { TargetAccountId: account }, { resourceType: ResourceType.INVITATION, logicalResourceId: `Invite${i}` });
        cloud.lambda.invoke(FUNCTION_ARN, invitation);
        const invited = await cloud.responses.waitFor(invitation.RequestId, 30 * 60_000);
        if (invited?.body.Status !== 'SUCCESS') return invited?.body.Reason ?? 'no answer';
        const acceptance = cloud.event('Create', { LinkId: invited.body.Data!.AccountLinkId, AssumeRoleArn: `arn:aws:iam::${account}:role/${ACCEPT_ROLE}` },
          { resourceType: ResourceType.ACCEPTANCE, logicalResourceId: `Accept${i}` });
        cloud.lambda.invoke(FUNCTION_ARN, acceptance);
        const accepted = await cloud.responses.waitFor(acceptance.RequestId, 30 * 60_000);
        return accepted?.body.Status === 'SUCCESS' ? undefined : accepted?.body.Reason ?? 'no answer';
      }));
      failure = answers.find((a) => a !== undefined);
    }
    const wallMs = Date.now() - started;
    await cloud.settle();
    // Counted before the count of links below makes calls of its own.
    const { apiCalls, throttled } = { apiCalls: cloud.emulator.requests.length, throttled: cloud.emulator.throttled };
    const linked = (await cloud.linksFromSource()).filter((l) => l.AccountLinkStatus === 'LINKED').length;
    const ledgerCalls = cloud.lambda.records.reduce((sum, r) => sum + (r.message.ledgerCalls ?? 0), 0);
    return { targets: count, linked, wallMs, apiCalls, throttled, ledgerCalls, resources: side === 'targets' ? 1 : 2 * count, failure };
  } finally {
    await cloud.close();
  }
}
