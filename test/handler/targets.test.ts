/**
 * `Custom::WorkSpacesAccountLinkTargets` end to end: the bundled handler run as Lambda runs
 * it (a process an invocation, hand-overs through Lambda Invoke, copies of each event)
 * against WorkSpaces, Organizations and STS stand-ins, answering CloudFormation's URL.
 */
import { ACCEPT_ROLE, FUNCTION_ARN, OrganizationCloud, SOURCE, target } from '../../local-aws/organization-cloud';

const PENDING = 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT';
const OU = 'ou-ab12-engineer';
const NESTED_OU = 'ou-ab12-platform';

let cloud: OrganizationCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

/** Per-status counts of the source's links. */
async function statusCounts(c: OrganizationCloud): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const link of await c.linksFromSource()) counts[link.AccountLinkStatus] = (counts[link.AccountLinkStatus] ?? 0) + 1;
  return counts;
}

test('100 targets of two units (one nested) under throttling, each event delivered twice: one invitation each, all LINKED, few calls throttled', async () => {
  const targets = Array.from({ length: 100 }, (_, i) => target(i + 1));
  cloud = await OrganizationCloud.start({
    targets,
    organization: {
      OrganizationalUnits: [
        { Id: OU, Accounts: [...targets.slice(0, 60), SOURCE], SuspendedAccounts: [target(999)] },
        { Id: NESTED_OU, ParentId: OU, Accounts: targets.slice(60) },
      ],
    },
    rateLimit: { perSecond: 10, burst: 5 },
    // 20.5 s of work an invocation (time-budget.ts): the 200 calls take several, handed over.
    functionTimeoutMs: 70_000,
  });
  const props = {
    OrganizationalUnitIds: [OU],
    IncludeNestedUnits: 'true',
    AcceptRoleName: ACCEPT_ROLE,
    CallsPerSecond: '10',
    RequiredStatus: 'LINKED',
    WaitTimeoutSeconds: '600',
    PollIntervalSeconds: '5',
  };
  const create = cloud.event('Create', props);
  const answers = await cloud.deliver(create, 2);

  // One copy acts and answers (the ledger's fence); the other acts on nothing.
  expect(answers.map((a) => [a.body.Status, a.body.Reason])).toEqual([['SUCCESS', undefined]]);
  expect(answers[0].body.Data).toMatchObject({ TargetCount: '100', LinkedCount: '100' });
  expect(answers[0].body.Data!.TargetAccountIds.split(',')).toEqual(targets);
  const links = await cloud.linksFromSource();
  expect(links).toHaveLength(100);
  expect(new Set(links.map((l) => l.TargetAccountId)).size).toBe(100);
  expect(links.every((l) => l.AccountLinkStatus === 'LINKED')).toBe(true);
  expect(answers[0].body.Data!.AccountLinkIds.split(',')).toEqual(targets.map((t) => links.find((l) => l.TargetAccountId === t)!.AccountLinkId));
  // The suspended account and the source itself are never invited.
  expect(cloud.emulator.callsTo('CreateAccountLinkInvitation').map((r) => r.input.TargetAccountId)).not.toContain(target(999));
  // Paced: one chain acts for the request, so the copy spends none of the 10 calls/s the API allows
  // (the loop of pairs, unpaced, is 88% throttled in the benchmark). And the work took more than one invocation.
  const workspaces = cloud.emulator.requests.filter((r) => !r.operation.startsWith('List') || r.operation === 'ListAccountLinks');
  expect(cloud.emulator.throttled / workspaces.length).toBeLessThanOrEqual(0.05);
  expect(cloud.lambda.invocations).toBeGreaterThan(2);
}, 300_000);

test('a target whose role cannot be assumed: FAILED naming it and why; the others are LINKED; the rollback removes only its invitation', async () => {
  const targets = [target(1), target(2), target(3)];
  cloud = await OrganizationCloud.start({ targets, unassumable: [target(2)] });
  const props = { TargetAccountIds: targets, AcceptRoleName: ACCEPT_ROLE, RequiredStatus: 'LINKED' };
  const [answer] = await cloud.deliver(cloud.event('Create', props));

  expect(answer.body.Status).toBe('FAILED');
  expect(answer.body.Reason).toBe(`1 of 3 targets are not LINKED: account ${target(2)}: could not accept as `
    + `arn:aws:iam::${target(2)}:role/${ACCEPT_ROLE}: STS AssumeRole of arn:aws:iam::${target(2)}:role/${ACCEPT_ROLE} failed: AccessDenied: User: arn:aws:sts::111122223333:assumed-role/handler `
    + `is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${target(2)}:role/${ACCEPT_ROLE}`);
  expect(await statusCounts(cloud)).toEqual({ LINKED: 2, [PENDING]: 1 });

  // CloudFormation rolls the Create back: Delete with the physical id the failure answered.
  const [deleted] = await cloud.deliver(cloud.event('Delete', props, { physicalResourceId: answer.body.PhysicalResourceId }));
  expect(deleted.body.Status).toBe('SUCCESS');
  expect(await statusCounts(cloud)).toEqual({ LINKED: 2 });
});

test('a target that rejects: FAILED at once, naming it, long before the wait ends', async () => {
  const targets = [target(1), target(2), target(3)];
  cloud = await OrganizationCloud.start({ targets });
  const create = cloud.event('Create', { TargetAccountIds: targets, RequiredStatus: 'LINKED', WaitTimeoutSeconds: '600', PollIntervalSeconds: '1' });
  const started = Date.now();
  cloud.lambda.invoke(FUNCTION_ARN, create);
  // The targets answer their invitations as they come: one accepts, one rejects, one waits.
  const answer = async (account: string, operation: 'AcceptAccountLinkInvitation' | 'RejectAccountLinkInvitation') => {
    for (;;) {
      const link = (await cloud!.linksFromSource()).find((l) => l.TargetAccountId === account);
      if (link) return cloud!.clientOf(account).send(operation, { LinkId: link.AccountLinkId });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  await answer(target(1), 'AcceptAccountLinkInvitation');
  await answer(target(2), 'RejectAccountLinkInvitation');
  const response = await cloud.responses.waitFor(create.RequestId, 60_000);

  expect(Date.now() - started).toBeLessThan(60_000);
  expect(response!.body.Status).toBe('FAILED');
  expect(response!.body.Reason).toMatch(new RegExp(`^2 of 3 targets are not LINKED: account ${target(2)}: REJECTED: account ${target(2)} rejected the invitation: `
    + `invite it again from account ${SOURCE}; account ${target(3)}: ${PENDING} after \\d+ s \\(\\d+ reads\\): accept the invitation in account ${target(3)}$`));
});

test('an Update adds and removes targets: invites the added, deletes its pending invitations to the removed, reports the LINKED it cannot undo', async () => {
  const [a, b, c, d, e] = [1, 2, 3, 4, 5].map(target);
  cloud = await OrganizationCloud.start({ targets: [a, b, c, d, e] });
  // Another resource (or a person) invited e before: adopted, never deleted by this one.
  await cloud.clientOf(SOURCE).send('CreateAccountLinkInvitation', { TargetAccountId: e });
  const before = { TargetAccountIds: [a, b, c, e] };
  const [created] = await cloud.deliver(cloud.event('Create', before), 2);
  expect(created.body).toMatchObject({ Status: 'SUCCESS', Data: { TargetCount: '4', LinkedCount: '0' } });
  const linkOf = async (account: string) => (await cloud!.linksFromSource()).find((l) => l.TargetAccountId === account)!;
  await cloud.clientOf(a).send('AcceptAccountLinkInvitation', { LinkId: (await linkOf(a)).AccountLinkId });

  const after = { TargetAccountIds: [b, d] };
  const update = cloud.event('Update', after, { physicalResourceId: created.body.PhysicalResourceId, oldProperties: before });
  const answers = await cloud.deliver(update, 2);

  expect(answers.map((x) => x.body.Status)).toEqual(['SUCCESS']);
  expect(answers[0].body).toMatchObject({ PhysicalResourceId: created.body.PhysicalResourceId, Data: { TargetCount: '2', TargetAccountIds: `${b},${d}` } });
  const byTarget = Object.fromEntries((await cloud.linksFromSource()).map((l) => [l.TargetAccountId, l.AccountLinkStatus]));
  // a: LINKED, stays; b: kept; c: this resource's pending invitation, deleted; d: invited; e: another's, left alone.
  expect(byTarget).toEqual({ [a]: 'LINKED', [b]: PENDING, [d]: PENDING, [e]: PENDING });
  const notes = cloud.lambda.records.map((r) => r.message).filter((m) => m.requestType === 'Update' && m.outcome === 'SUCCESS').map((m) => m.note);
  expect(notes[0]).toContain(`account ${a} is no longer a target but its link ${(await linkOf(a)).AccountLinkId} is LINKED and stays: the API cannot unlink`);
  expect(answers[0].body.Reason).toBe(notes[0]);
  // One copy deletes c's invitation: that one only (the listing showed a's LINKED: no call for it).
  expect(cloud.emulator.callsTo('DeleteAccountLinkInvitation').map((r) => r.input.LinkId)).toHaveLength(1);

  // The stack goes: two copies of the Delete; one removes this resource's pending invitations (b, d), nothing else.
  const deletions = await cloud.deliver(cloud.event('Delete', after, { physicalResourceId: created.body.PhysicalResourceId }), 2);
  expect(deletions.map((x) => x.body.Status)).toEqual(['SUCCESS']);
  expect(Object.fromEntries((await cloud.linksFromSource()).map((l) => [l.TargetAccountId, l.AccountLinkStatus]))).toEqual({ [a]: 'LINKED', [e]: PENDING });
});

test('a Delete while the Create still waits removes its pending invitations; the Create, and a late copy of it, invite nobody again and answer nothing', async () => {
  const targets = [target(1), target(2), target(3)];
  cloud = await OrganizationCloud.start({ targets, functionTimeoutMs: 70_000 });
  const props = { TargetAccountIds: targets, RequiredStatus: 'LINKED', WaitTimeoutSeconds: '40', PollIntervalSeconds: '2' };
  const create = cloud.event('Create', props);
  cloud.lambda.invoke(FUNCTION_ARN, create);
  while ((await cloud.linksFromSource()).length < 3) await new Promise((resolve) => setTimeout(resolve, 200));
  await cloud.clientOf(target(1)).send('AcceptAccountLinkInvitation', { LinkId: (await cloud.linksFromSource())[0].AccountLinkId });

  // CloudFormation gives up on the Create (its ServiceTimeout, say) and rolls back while the handler still waits.
  const deletion = cloud.event('Delete', props, { physicalResourceId: `targets:${create.RequestId}` });
  cloud.lambda.invoke(FUNCTION_ARN, deletion);
  const deleted = await cloud.responses.waitFor(deletion.RequestId, 60_000);
  expect(deleted!.body.Status).toBe('SUCCESS');
  expect(await statusCounts(cloud)).toEqual({ LINKED: 1 });

  // A late copy of the Create arrives after the Delete.
  cloud.lambda.invoke(FUNCTION_ARN, create);
  await cloud.settle();
  // The Create's own chain found itself superseded; the late copy acted on nothing. CloudFormation had given up on it.
  expect(cloud.answersTo(create)).toHaveLength(0);
  expect(await statusCounts(cloud)).toEqual({ LINKED: 1 });
  // The Delete tried each invitation the ledger holds, once: the LINKED one answered ConflictException (the API cannot unlink).
  expect(new Set(cloud.emulator.callsTo('DeleteAccountLinkInvitation').map((r) => r.input.LinkId)).size).toBe(3);
  expect(cloud.emulator.callsTo('DeleteAccountLinkInvitation')).toHaveLength(3);
}, 180_000);

test('150 targets: the lists do not fit an answer, so only the counts come, whole lists or none; a template that references them fails saying why', async () => {
  const targets = Array.from({ length: 150 }, (_, i) => target(i + 1));
  cloud = await OrganizationCloud.start({ targets });
  const [counts] = await cloud.deliver(cloud.event('Create', { TargetAccountIds: targets, CallsPerSecond: '50' }));
  expect(counts.body).toMatchObject({ Status: 'SUCCESS', Data: { TargetCount: '150', LinkedCount: '0' } });
  expect(Object.keys(counts.body.Data!).sort()).toEqual(['LinkedCount', 'TargetCount']);

  const [lists] = await cloud.deliver(cloud.event('Create', { TargetAccountIds: targets, CallsPerSecond: '50', AnswerLists: 'true' }));
  expect(lists.body.Status).toBe('FAILED');
  expect(lists.body.Reason).toMatch(/^the lists of 150 targets make a \d+-byte answer, over CloudFormation's 4096-byte limit for custom resources, and the template references them: reference TargetCount and LinkedCount instead/);
});

test('an invitation whose answers are lost: FAILED naming the target; the rollback\'s Delete finds the invitation by its token and removes it', async () => {
  cloud = await OrganizationCloud.start({ targets: [target(1)] });
  const props = { TargetAccountIds: [target(1)] };
  // Every answer comes after the client gave up (5 s an attempt): the service carried the Create out, the handler never heard.
  cloud.emulator.setDelay(5_500, 'CreateAccountLinkInvitation');
  const create = cloud.event('Create', props);
  cloud.lambda.invoke(FUNCTION_ARN, create);
  while (cloud.emulator.callsTo('CreateAccountLinkInvitation').length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  const answer = await cloud.responses.waitFor(create.RequestId, 90_000);
  cloud.emulator.setDelay(0);
  await cloud.settle();

  expect(answer!.body.Status).toBe('FAILED');
  expect(answer!.body.Reason).toMatch(new RegExp(`^1 of 1 targets are not linked as asked: account ${target(1)}: CreateAccountLinkInvitation for account ${target(1)} failed: no answer from http://127\\.0\\.0\\.1:\\d+ in 4 attempts`));
  // The four attempts carried one token: one invitation, which nobody was told of.
  expect(new Set(cloud.emulator.callsTo('CreateAccountLinkInvitation').map((r) => r.input.ClientToken)).size).toBe(1);
  expect(await statusCounts(cloud)).toEqual({ [PENDING]: 1 });

  const [deleted] = await cloud.deliver(cloud.event('Delete', props, { physicalResourceId: answer!.body.PhysicalResourceId }));
  expect(deleted.body.Status).toBe('SUCCESS');
  expect(await statusCounts(cloud)).toEqual({});
}, 120_000);
