/**
 * AccountLinkTargets between deployments: reconcile runs, as the resource's schedule (or
 * its rule of organization events) delivers them, of the bundled handler run as Lambda
 * runs it, with the ledger in a real DynamoDB-compatible server (dynalite), the
 * organization changing in the emulator, and the events it sends received by the
 * emulator's EventBridge.
 */
import { ACCEPT_ROLE, OrganizationCloud, SOURCE, target } from '../../local-aws/organization-cloud';
import { ACCOUNT_LINK_CHANGED, EVENT_SOURCE, METRIC_NAMESPACE, TargetsMetric } from '../../src/contract';

const PENDING = 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT';
const OU = 'ou-ab12-engineer';
const OTHER_OU = 'ou-ab12-finances';

let cloud: OrganizationCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

/** An organization whose unit OU holds `inUnit`, and OTHER_OU the rest of `accounts`. */
async function start(inUnit: string[], others: string[] = [], more: { unassumable?: string[] } = {}): Promise<OrganizationCloud> {
  return OrganizationCloud.start({
    targets: [...inUnit, ...others],
    organization: { OrganizationalUnits: [{ Id: OU, Accounts: inUnit }, { Id: OTHER_OU, Accounts: others }] },
    ...more,
  });
}

/** Each target's status, as the source's links have them now (the newest link of a target wins). */
async function byTarget(c: OrganizationCloud): Promise<Record<string, string>> {
  return Object.fromEntries((await c.linksFromSource()).map((l) => [l.TargetAccountId, l.AccountLinkStatus]));
}
const creates = (c: OrganizationCloud) => c.emulator.callsTo('CreateAccountLinkInvitation').map((r) => (r.input as { TargetAccountId: string }).TargetAccountId);
/** The Account Link Changed events the emulator's default bus received, by target: [old, new] status. */
const changes = (c: OrganizationCloud) => c.emulator.events
  .filter((e) => e.source === EVENT_SOURCE && e['detail-type'] === ACCOUNT_LINK_CHANGED)
  .map((e) => e.detail as Record<string, string>);
const lastMetrics = (c: OrganizationCloud) => c.metricDocuments().at(-1)!;
/** A run due an hour ago (delivered late): the next, due now, is a later one. (A run due later than now acts on nothing.) */
const AN_HOUR_AGO = () => new Date(Date.now() - 3_600_000);

async function deploy(c: OrganizationCloud, props: Record<string, unknown>): Promise<string> {
  const [created] = await c.deliver(c.event('Create', props));
  expect(created.body.Status).toBe('SUCCESS');
  return created.body.PhysicalResourceId;
}

test('an account that joins the unit after the deployment is invited and accepted by the next run, once', async () => {
  const [a, b, joiner] = [1, 2, 3].map(target);
  cloud = await start([a, b], [joiner]);
  const id = await deploy(cloud, { OrganizationalUnitIds: [OU], AcceptRoleName: ACCEPT_ROLE, RequiredStatus: 'LINKED' });
  expect(creates(cloud).sort()).toEqual([a, b]);
  const before = changes(cloud).length;

  cloud.organization.moveAccount(joiner, OU);
  const [line] = await cloud.reconcile(id, { time: AN_HOUR_AGO() });
  expect(line).toMatchObject({ outcome: 'RECONCILED', trigger: 'schedule', finished: true });
  expect(line.counts).toEqual({
    TargetCount: 3, LinkedCount: 3, PendingCount: 0, NotLinkedCount: 0, Invited: 1, Released: 0, Throttled: 0,
  });
  expect(await byTarget(cloud)).toEqual({ [a]: 'LINKED', [b]: 'LINKED', [joiner]: 'LINKED' });
  expect(creates(cloud).sort()).toEqual([a, b, joiner]);
  // One event: the joiner, seen for the first time, LINKED.
  expect(changes(cloud).slice(before)).toEqual([expect.objectContaining({
    sourceAccountId: SOURCE, targetAccountId: joiner, newStatus: 'LINKED', physicalResourceId: id, observedBy: 'schedule', resource: 'org-links/Targets',
  })]);
  expect(changes(cloud).slice(before)[0]).not.toHaveProperty('oldStatus');
  expect(lastMetrics(cloud)).toMatchObject({ Resource: 'org-links/Targets', [TargetsMetric.LINKED_COUNT]: 3, [TargetsMetric.INVITED]: 1, run: line.reconcile });

  // A steady organization: the next run makes no invitation, sends no event, and reads only the listings.
  const steady = cloud.emulator.requests.length;
  const [next] = await cloud.reconcile(id);
  expect(next).toMatchObject({ outcome: 'RECONCILED', counts: expect.objectContaining({ LinkedCount: 3, Invited: 0 }) });
  expect(creates(cloud)).toHaveLength(3);
  expect(changes(cloud).slice(before)).toHaveLength(1);
  const operations = cloud.emulator.requests.slice(steady).map((r) => r.operation);
  expect(operations.filter((o) => o !== 'ListAccountLinks' && o !== 'ListAccountsForParent' && o !== 'ListOrganizationalUnitsForParent')).toEqual([]);
});

test('an account that leaves the unit has its pending invitation deleted by the next run; a LINKED one stays', async () => {
  const [a, leaver, linkedLeaver] = [1, 2, 3].map(target);
  cloud = await start([a, leaver, linkedLeaver]);
  const id = await deploy(cloud, { OrganizationalUnitIds: [OU] });
  expect(await byTarget(cloud)).toEqual({ [a]: PENDING, [leaver]: PENDING, [linkedLeaver]: PENDING });
  const linkOf = async (t: string) => (await cloud!.linksFromSource()).find((l) => l.TargetAccountId === t)!.AccountLinkId;
  await cloud.clientOf(linkedLeaver).send('AcceptAccountLinkInvitation', { LinkId: await linkOf(linkedLeaver) });
  const leaverLink = await linkOf(leaver);

  cloud.organization.moveAccount(leaver, OTHER_OU);
  cloud.organization.removeAccount(linkedLeaver);
  const [line] = await cloud.reconcile(id);
  expect(line).toMatchObject({ outcome: 'RECONCILED', counts: expect.objectContaining({ TargetCount: 1, PendingCount: 1, Released: 1 }) });
  expect(await byTarget(cloud)).toEqual({ [a]: PENDING, [linkedLeaver]: 'LINKED' });
  expect(line.note).toContain(`account ${linkedLeaver} is no longer a target but its link`);
  expect(changes(cloud)).toContainEqual(expect.objectContaining({
    targetAccountId: leaver, accountLinkId: leaverLink, oldStatus: PENDING, newStatus: 'LINK_NOT_FOUND', observedBy: 'schedule',
  }));
  expect(changes(cloud).filter((c) => c.targetAccountId === linkedLeaver && c.observedBy === 'schedule')).toEqual([]);
});

test('a target that rejects is reported (metric, event, warning) and never invited again by a run', async () => {
  const [a, rejecter] = [1, 2].map(target);
  cloud = await start([a, rejecter]);
  const id = await deploy(cloud, { OrganizationalUnitIds: [OU] });
  const link = (await cloud.linksFromSource()).find((l) => l.TargetAccountId === rejecter)!.AccountLinkId;
  await cloud.clientOf(rejecter).send('RejectAccountLinkInvitation', { LinkId: link });

  const [first] = await cloud.reconcile(id, { time: AN_HOUR_AGO() });
  expect(first).toMatchObject({ outcome: 'RECONCILED', counts: expect.objectContaining({ NotLinkedCount: 1, PendingCount: 1, Invited: 0 }) });
  expect(String(first.note)).toContain(`its link ${link} is REJECTED: a run does not invite it again`);
  expect(cloud.lambda.records.find((r) => r.message?.reconcile === first.reconcile)!.level).toBe('WARN');
  expect(changes(cloud)).toContainEqual(expect.objectContaining({ targetAccountId: rejecter, oldStatus: PENDING, newStatus: 'REJECTED', accountLinkId: link }));
  expect(lastMetrics(cloud)).toMatchObject({ [TargetsMetric.NOT_LINKED_COUNT]: 1 });

  const events = changes(cloud).length;
  const [second] = await cloud.reconcile(id);
  expect(second).toMatchObject({ outcome: 'RECONCILED', counts: expect.objectContaining({ NotLinkedCount: 1, Invited: 0 }) });
  expect(creates(cloud).filter((t) => t === rejecter)).toHaveLength(1);
  expect(changes(cloud)).toHaveLength(events);
});

test('a pending invitation someone deleted is reported LINK_NOT_FOUND, not invited again', async () => {
  const [a] = [1].map(target);
  cloud = await start([a]);
  const id = await deploy(cloud, { OrganizationalUnitIds: [OU] });
  const link = (await cloud.linksFromSource())[0].AccountLinkId;
  await cloud.clientOf(SOURCE).send('DeleteAccountLinkInvitation', { LinkId: link });
  const [line] = await cloud.reconcile(id);
  expect(line).toMatchObject({ outcome: 'RECONCILED', counts: expect.objectContaining({ NotLinkedCount: 1, Invited: 0 }) });
  expect(creates(cloud)).toEqual([a]);
  expect(changes(cloud)).toContainEqual(expect.objectContaining({ targetAccountId: a, oldStatus: PENDING, newStatus: 'LINK_NOT_FOUND' }));
});

test('duplicate deliveries of one scheduled run act once; a run older than the last acts on nothing', async () => {
  const [a, joiner] = [1, 2].map(target);
  cloud = await start([a], [joiner]);
  const id = await deploy(cloud, { OrganizationalUnitIds: [OU] });
  cloud.organization.moveAccount(joiner, OU);
  const time = new Date();
  const lines = await cloud.reconcile(id, { time, copies: 3 });
  expect(lines.map((l) => l.outcome).sort()).toEqual(['IGNORED', 'IGNORED', 'RECONCILED']);
  expect(creates(cloud).filter((t) => t === joiner)).toHaveLength(1);
  expect(changes(cloud).filter((c) => c.targetAccountId === joiner)).toHaveLength(1);
  // A late copy, and an older occurrence delivered late: nothing.
  const calls = cloud.emulator.requests.length;
  expect(await cloud.reconcile(id, { time })).toEqual(expect.arrayContaining([expect.objectContaining({ outcome: 'IGNORED' })]));
  const [older] = await cloud.reconcile(id, { time: new Date(time.getTime() - 60_000) });
  expect(older).toMatchObject({ outcome: 'IGNORED', reason: expect.stringContaining('ran already') });
  expect(cloud.emulator.requests.length).toBe(calls);
});

test('an organization event starts a run at once: its id is the run, its events say account-event, and a copy of it acts on nothing', async () => {
  const [a, joiner] = [1, 2].map(target);
  cloud = await start([a], [joiner]);
  const id = await deploy(cloud, { OrganizationalUnitIds: [OU] });
  cloud.organization.moveAccount(joiner, OU);
  const eventId = '5e5e0d1c-7f3a-4b7e-9d54-0c1c2b3a4d5e';
  const lines = await cloud.reconcile(id, { run: eventId, trigger: 'account-event', copies: 2 });
  expect(lines.map((l) => l.outcome).sort()).toEqual(['IGNORED', 'RECONCILED']);
  expect(lines.find((l) => l.outcome === 'RECONCILED')).toMatchObject({ reconcile: eventId, trigger: 'account-event' });
  expect(changes(cloud).filter((c) => c.targetAccountId === joiner)).toEqual([expect.objectContaining({ newStatus: PENDING, observedBy: 'account-event' })]);
});

test('a run after the resource\'s Delete acts on nothing', async () => {
  const [a, joiner] = [1, 2].map(target);
  cloud = await start([a], [joiner]);
  const props = { OrganizationalUnitIds: [OU] };
  const id = await deploy(cloud, props);
  expect((await cloud.deliver(cloud.event('Delete', props, { physicalResourceId: id })))[0].body.Status).toBe('SUCCESS');
  cloud.organization.moveAccount(joiner, OU);
  const calls = cloud.emulator.requests.length;
  const [line] = await cloud.reconcile(id);
  expect(line).toMatchObject({ outcome: 'IGNORED', reason: 'the resource was deleted' });
  expect(cloud.emulator.requests.length).toBe(calls);
  expect(await byTarget(cloud)).toEqual({});
});

test('a run and an Update of the same resource never act at once: the run stops at the Update\'s claim, and each target is invited once', async () => {
  const [a, b, joiner, added] = [1, 2, 3, 4].map(target);
  cloud = await start([a, b], [joiner, added]);
  const props = { OrganizationalUnitIds: [OU] };
  const id = await deploy(cloud, props);
  cloud.organization.moveAccount(joiner, OU);
  // Every call takes a while: the Update comes while the run is at work.
  cloud.emulator.setDelay(400);
  const run = cloud.reconcile(id);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const update = cloud.event('Update', { ...props, TargetAccountIds: [added] }, { physicalResourceId: id, oldProperties: props });
  const [answer] = await cloud.deliver(update);
  const [line] = await run;
  cloud.emulator.setDelay(0);
  expect(answer.body.Status).toBe('SUCCESS');
  expect(cloud.answersTo(update)).toHaveLength(1);
  // The run stops at its next look at the fence: before its next call that cannot be taken back, or as it ends.
  expect(line).toMatchObject({ outcome: 'IGNORED', reason: expect.stringMatching(/^a deployment took the resource (during the run|as the run ended)$/) });
  // Whoever invited the joiner, it has one invitation, and so has every other target: a call the run made without
  // its answer is made again by the Update with the run's own token, which makes nothing new.
  const links = await cloud.linksFromSource();
  expect(links.map((l) => l.TargetAccountId).sort()).toEqual([a, b, joiner, added]);
  expect(await byTarget(cloud)).toEqual({ [a]: PENDING, [b]: PENDING, [joiner]: PENDING, [added]: PENDING });
  const tokens = cloud.emulator.callsTo('CreateAccountLinkInvitation').map((r) => JSON.stringify(r.input));
  expect(new Set(tokens).size).toBe(4);
});

test('a run while a deployment holds the resource acts on nothing', async () => {
  const [a, b] = [1, 2].map(target);
  cloud = await start([a, b]);
  const props = { OrganizationalUnitIds: [OU] };
  const id = await deploy(cloud, props);
  cloud.emulator.setDelay(500);
  const update = cloud.event('Update', { ...props, ExcludeAccountIds: [b] }, { physicalResourceId: id, oldProperties: props });
  const answered = cloud.deliver(update);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const [line] = await cloud.reconcile(id);
  cloud.emulator.setDelay(0);
  expect((await answered)[0].body.Status).toBe('SUCCESS');
  expect(line).toMatchObject({ outcome: 'IGNORED', reason: expect.stringContaining('a deployment (request') });
});

test('events can be turned off; the metrics are still written', async () => {
  const [a, joiner] = [1, 2].map(target);
  cloud = await start([a], [joiner]);
  const id = await deploy(cloud, { OrganizationalUnitIds: [OU], PublishEvents: 'false' });
  cloud.organization.moveAccount(joiner, OU);
  const [line] = await cloud.reconcile(id);
  expect(line).toMatchObject({ outcome: 'RECONCILED', counts: expect.objectContaining({ Invited: 1 }) });
  expect(changes(cloud)).toEqual([]);
  expect(lastMetrics(cloud)).toMatchObject({ _aws: { CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE }] }, [TargetsMetric.TARGET_COUNT]: 2 });
});

test('a deployment reports too: its metric line, and one event per target whose status it changed', async () => {
  const [a, b] = [1, 2].map(target);
  cloud = await start([a, b]);
  await deploy(cloud, { OrganizationalUnitIds: [OU], AcceptRoleName: ACCEPT_ROLE, RequiredStatus: 'LINKED' });
  expect(changes(cloud).map((c) => [c.targetAccountId, c.oldStatus, c.newStatus, c.observedBy])).toEqual([
    [a, undefined, 'LINKED', 'deployment'], [b, undefined, 'LINKED', 'deployment'],
  ]);
  expect(lastMetrics(cloud)).toMatchObject({ [TargetsMetric.TARGET_COUNT]: 2, [TargetsMetric.LINKED_COUNT]: 2, [TargetsMetric.INVITED]: 2, requestType: 'Create' });
});

test('25 changes go in 3 PutEvents calls of at most 10 entries; entries EventBridge throttles are sent again', async () => {
  const joiners = Array.from({ length: 25 }, (_, i) => target(i + 10));
  cloud = await start([target(1)], joiners);
  const id = await deploy(cloud, { OrganizationalUnitIds: [OU], CallsPerSecond: '50' });
  for (const joiner of joiners) cloud.organization.moveAccount(joiner, OU);
  // The first call's entries are all throttled: they are sent again.
  cloud.emulator.failPutEvents('throttle-entries', 1);
  const calls = cloud.emulator.eventsRequests.length;
  const [line] = await cloud.reconcile(id);
  expect(line).toMatchObject({ outcome: 'RECONCILED', counts: expect.objectContaining({ Invited: 25 }) });
  expect(line.note).toBeUndefined();
  const sizes = cloud.emulator.eventsRequests.slice(calls).map((call) => (call.input as { Entries: unknown[] }).Entries.length);
  expect(sizes).toEqual([10, 10, 10, 5]);
  expect(changes(cloud).filter((c) => c.observedBy === 'schedule').map((c) => c.targetAccountId).sort()).toEqual(joiners);
});

test('events EventBridge keeps refusing are said in the run\'s note, and the run still links', async () => {
  const [a, joiner] = [1, 2].map(target);
  cloud = await start([a], [joiner]);
  const id = await deploy(cloud, { OrganizationalUnitIds: [OU] });
  cloud.organization.moveAccount(joiner, OU);
  cloud.emulator.eventsFault = 'internal-entries';
  const [line] = await cloud.reconcile(id, { time: AN_HOUR_AGO() });
  expect(line).toMatchObject({ outcome: 'RECONCILED', counts: expect.objectContaining({ Invited: 1 }) });
  expect(String(line.note)).toMatch(/1 of 1 Account Link Changed events were not sent \(the next run sends them\): InternalFailure/);
  expect(await byTarget(cloud)).toEqual({ [a]: PENDING, [joiner]: PENDING });
  expect(changes(cloud).filter((c) => c.targetAccountId === joiner)).toEqual([]);
  // The change was not recorded as seen: the next run sends it, and invites nobody again.
  cloud.emulator.eventsFault = undefined;
  const [next] = await cloud.reconcile(id);
  expect(next).toMatchObject({ outcome: 'RECONCILED', counts: expect.objectContaining({ Invited: 0 }) });
  expect(changes(cloud).filter((c) => c.targetAccountId === joiner)).toEqual([expect.objectContaining({ newStatus: PENDING })]);
  expect(creates(cloud).filter((t) => t === joiner)).toHaveLength(1);
});
