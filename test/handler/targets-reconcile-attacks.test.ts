/**
 * Attacks on AccountLinkTargets' reconcile runs: the bundled handler run as Lambda runs it
 * (OrganizationCloud: a process an invocation, at-least-once deliveries, the ledger in
 * dynalite), each test an interleaving or a payload that tries to break one of the runs'
 * promises: (a) a run acts once; (b) never beside a deployment; (c) never after the Delete;
 * (d) every invitation it makes is in the books; (e) a target that rejected is never invited
 * again by a run; (f) one event per change; (g) valid metrics; (h) no crash on any payload.
 * Interleavings are made exact by HoldingProxy, which holds a chosen request back.
 *
 * `test.failing` marks a defect the current handler has (each fails at the assertion its
 * comment names); make it `test` once the handler is fixed. The tests under "what held"
 * pin behaviour the attacks did not break.
 */
import { createServer, request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { BUNDLED_HANDLER } from '../../local-aws/bundled-handler';
import { ACCEPT_ROLE, FUNCTION_ARN, OrganizationCloud, SOURCE, STACK_ID, target } from '../../local-aws/organization-cloud';
import { ACCOUNT_LINK_CHANGED, EVENT_SOURCE, RECONCILE_KEY, ReconcileRequest } from '../../src/contract';

const PENDING = 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT';
const OU = 'ou-ab12-engineer';
const OTHER_OU = 'ou-ab12-finances';

let cloud: OrganizationCloud | undefined;
let proxy: HoldingProxy | undefined;
afterEach(async () => {
  proxy?.releaseAll();
  await cloud?.close();
  await proxy?.close();
  cloud = undefined;
  proxy = undefined;
});

/** A request as the handler sends it: its operation (X-Amz-Target's last part), its signing key, its JSON body. */
interface HeldRequest {
  readonly operation: string;
  readonly accessKeyId?: string;
  readonly body: Record<string, any>;
}

/**
 * A service's endpoint as the handler reaches it (the variable `endpointVariable` names),
 * through a proxy that holds back the requests `holdNext` picks until the test lets them
 * through: a request that reaches the service late (a slow network, the SDK's retries, the
 * pacer's turn), at the moment a test chooses.
 */
class HoldingProxy {
  public static async start(endpoint: string, endpointVariable: string): Promise<HoldingProxy> {
    const service = new URL(endpoint);
    const holding = new HoldingProxy();
    holding.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const forward = () => new Promise<void>((done) => {
          const options = { host: service.hostname, port: service.port, path: req.url, method: req.method, headers: req.headers };
          const out = httpRequest(options, (answer) => {
            res.writeHead(answer.statusCode ?? 500, answer.headers);
            answer.pipe(res);
            answer.on('end', () => done());
          });
          out.on('error', () => {
            res.destroy();
            done();
          });
          out.end(body);
        });
        const pick = holding.pick;
        if (pick) {
          const request: HeldRequest = {
            operation: String(req.headers['x-amz-target'] ?? '').split('.').pop()!,
            accessKeyId: /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1],
            body: JSON.parse(body.toString('utf8') || '{}'),
          };
          if (pick(request)) {
            const answerWith = (status: number, answer: object) => {
              res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
              res.end(JSON.stringify(answer));
            };
            holding.held.push({ forward, answerWith });
            holding.heldOperations.push(request.operation);
            holding.onHeld?.(request);
            return;
          }
        }
        void forward();
      });
    });
    await new Promise<void>((resolve) => holding.server.listen(0, '127.0.0.1', resolve));
    // Each invocation starts with this process's environment (LocalLambda).
    process.env[endpointVariable] = `http://127.0.0.1:${(holding.server.address() as AddressInfo).port}`;
    return holding;
  }

  private pick?: (request: HeldRequest) => boolean;
  private onHeld?: (request: HeldRequest) => void;
  private readonly held: Array<{ forward: () => Promise<void>; answerWith: (status: number, answer: object) => void }> = [];
  /** The operations of the requests held now, in order. */
  public readonly heldOperations: string[] = [];
  private server!: Server;

  private constructor() {}

  /** Holds back every request `pick` chooses until releaseAll; resolves with the first, once it is held. */
  public async holdNext(pick: (request: HeldRequest) => boolean): Promise<HeldRequest> {
    return new Promise((resolve) => {
      this.pick = pick;
      this.onHeld = (request) => {
        this.onHeld = undefined;
        resolve(request);
      };
    });
  }

  /** Lets the oldest held request through; resolves once the service answered it. */
  public async releaseNext(): Promise<void> {
    this.heldOperations.shift();
    await this.held.shift()?.forward();
  }

  /** Answers the oldest held request ThrottlingException itself: the service never sees it, the caller tries again. */
  public throttleNext(): void {
    this.heldOperations.shift();
    this.held.shift()?.answerWith(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
  }

  /** Lets every held request through, and holds none any more. */
  public releaseAll(): void {
    this.pick = undefined;
    this.heldOperations.splice(0);
    for (const { forward } of this.held.splice(0)) void forward();
  }

  public async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A ledger write of an invitation's record: its document. */
function invitationWrite(request: HeldRequest): Record<string, any> | undefined {
  const item = request.body.Item;
  return request.operation === 'PutItem' && String(item?.sk?.S).startsWith('invitation#') ? JSON.parse(item.doc.S) : undefined;
}

async function start(inUnit: string[], others: string[] = [], more: { unassumable?: string[] } = {}): Promise<OrganizationCloud> {
  return OrganizationCloud.start({
    targets: [...inUnit, ...others],
    organization: { OrganizationalUnits: [{ Id: OU, Accounts: inUnit }, { Id: OTHER_OU, Accounts: others }] },
    ...more,
  });
}

async function deploy(c: OrganizationCloud, props: Record<string, unknown>): Promise<string> {
  const [created] = await c.deliver(c.event('Create', props));
  expect(created.body).toMatchObject({ Status: 'SUCCESS' });
  return created.body.PhysicalResourceId;
}

const creates = (c: OrganizationCloud) => c.emulator.callsTo('CreateAccountLinkInvitation').map((r) => (r.input as { TargetAccountId: string }).TargetAccountId);
const changes = (c: OrganizationCloud) => c.emulator.events
  .filter((e) => e.source === EVENT_SOURCE && e['detail-type'] === ACCOUNT_LINK_CHANGED)
  .map((e) => e.detail as Record<string, string>);
async function byTarget(c: OrganizationCloud): Promise<Record<string, string>> {
  return Object.fromEntries((await c.linksFromSource()).map((l) => [l.TargetAccountId, l.AccountLinkStatus]));
}
/** The `observed` item's statuses, as the ledger holds them. */
async function observed(c: OrganizationCloud): Promise<Record<string, { status: string }>> {
  const item = (await c.ledger!.items()).find((i) => i.sk === 'observed');
  return item ? JSON.parse(item.doc as string).statuses : {};
}
/**
 * The function's timeout from now on: a shorter one leaves a run less time (its last read
 * starts 60.5 s before the timeout; it hands over 50.5 s before it: lambda/time-budget.ts).
 */
function functionTimeout(c: OrganizationCloud, timeoutMs: number): void {
  c.lambda.register({ arn: FUNCTION_ARN, handlerFile: BUNDLED_HANDLER, timeoutMs });
}

/** The resource's record in the ledger, once it has one. */
async function resourceRecord(c: OrganizationCloud): Promise<Record<string, any> | undefined> {
  const item = (await c.ledger!.items()).find((i) => i.sk === 'resource');
  return item ? JSON.parse(item.doc as string) : undefined;
}
async function until(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !await condition();) {
    if (Date.now() > end) throw new Error('the condition never held');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Picks the first request `operation` names (not its retries) for HoldingProxy.holdNext. */
function firstOf(operation: string): (request: HeldRequest) => boolean {
  let held = false;
  return (r) => {
    const pick = !held && r.operation === operation;
    if (pick) held = true;
    return pick;
  };
}

/** Delivers `update` while a run is at work, and resolves once the ledger says it took the resource (it claimed it). */
async function takeOver(c: OrganizationCloud, update: ReturnType<OrganizationCloud['event']>): Promise<void> {
  c.lambda.invoke(FUNCTION_ARN, update);
  await until(async () => (await resourceRecord(c))?.holder?.request === update.RequestId);
}

describe('(a) a run acts once, and only between deployments', () => {
  // DEFECT: the next run is IGNORED, 'run <first> is in progress', for the rest of the first run's 3-minute lease: a run that
  // ends with SupersededError (or a failed settleRun) is never marked done, and decideRun does not see that a deployment took
  // the resource since (record.holder.request !== run.after). Fails at the last expect.
  test('a run a deployment took the resource from does not keep the next run (right after the deployment) from acting', async () => {
    const [a, b, joiner] = [1, 2, 3].map(target);
    cloud = await start([a, b], [joiner]);
    const props = { OrganizationalUnitIds: [OU] };
    const id = await deploy(cloud, props);
    cloud.organization.moveAccount(joiner, OU);
    cloud.emulator.setDelay(400);
    const run = cloud.reconcile(id);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const update = cloud.event('Update', { ...props, CallsPerSecond: '3' }, { physicalResourceId: id, oldProperties: props });
    expect((await cloud.deliver(update))[0].body.Status).toBe('SUCCESS');
    const [first] = await run;
    cloud.emulator.setDelay(0);
    // Taken during the run, or as it ended: either way it is over.
    expect(first).toMatchObject({ outcome: 'IGNORED', reason: expect.stringMatching(/^a deployment took the resource (during the run|as the run ended)$/) });

    // The next occurrence, right after the deployment: nothing holds the resource, so it acts.
    const [next] = await cloud.reconcile(id, { time: new Date(Date.now() + 2_000) });
    expect(next).toMatchObject({ outcome: 'RECONCILED' });
  });
});

describe('(b) a run and a deployment never both act', () => {
  // DEFECT: the fence was read once, before the call; the pacer's turn, a throttled attempt's backoff and its retry came
  // after it: the run deleted the invitation the Update answered SUCCESS with. The fence is now read as each attempt leaves.
  test('a run\'s release retried after an Update took the resource (its first attempt throttled) deletes nothing: the Update answers with the invitation', async () => {
    const [a, b, leaver] = [1, 2, 3].map(target);
    cloud = await start([a, b, leaver]);
    const props = { OrganizationalUnitIds: [OU] };
    const id = await deploy(cloud, props);
    const leaverLink = (await cloud.linksFromSource()).find((l) => l.TargetAccountId === leaver)!.AccountLinkId;
    cloud.organization.moveAccount(leaver, OTHER_OU);
    proxy = await HoldingProxy.start(cloud.emulator.endpoint, 'AWS_ENDPOINT_URL_WORKSPACES');
    const release = proxy.holdNext(firstOf('DeleteAccountLinkInvitation'));
    const run = cloud.reconcile(id);
    expect((await release).body).toEqual({ LinkId: leaverLink });

    // An Update names the leaver and takes the resource; then the run's first attempt is answered throttled: it tries again.
    const update = cloud.event('Update', { ...props, TargetAccountIds: [leaver] }, { physicalResourceId: id, oldProperties: props });
    await takeOver(cloud, update);
    proxy.throttleNext();
    const answer = await cloud.responses.waitFor(update.RequestId, 30_000);
    expect(answer?.body).toMatchObject({ Status: 'SUCCESS', Data: { AccountLinkIds: expect.stringContaining(leaverLink) } });
    const [line] = await run;
    expect(line.outcome).toBe('IGNORED');
    // No attempt of the run's release reached WorkSpaces, and the invitation the Update answered with is still there.
    expect(cloud.emulator.callsTo('DeleteAccountLinkInvitation')).toEqual([]);
    expect(await byTarget(cloud)).toEqual({ [a]: PENDING, [b]: PENDING, [leaver]: PENDING });
  });

  // DEFECT: the Update acted at once, beside the run's release still on its way: it answered with an invitation deleted after.
  // The deployment now waits for the run it took the resource from to say it stopped (its calls in flight landed).
  test('a run\'s release already on its way when an Update takes the resource lands before the Update acts: the Update invites the leaver again and answers with that invitation', async () => {
    const [a, leaver] = [1, 2].map(target);
    cloud = await start([a, leaver]);
    const props = { OrganizationalUnitIds: [OU] };
    const id = await deploy(cloud, props);
    const leaverLink = (await cloud.linksFromSource()).find((l) => l.TargetAccountId === leaver)!.AccountLinkId;
    cloud.organization.moveAccount(leaver, OTHER_OU);
    proxy = await HoldingProxy.start(cloud.emulator.endpoint, 'AWS_ENDPOINT_URL_WORKSPACES');
    const release = proxy.holdNext(firstOf('DeleteAccountLinkInvitation'));
    const run = cloud.reconcile(id);
    await release;
    const update = cloud.event('Update', { ...props, TargetAccountIds: [leaver] }, { physicalResourceId: id, oldProperties: props });
    await takeOver(cloud, update);
    await proxy.releaseNext();
    const answer = await cloud.responses.waitFor(update.RequestId, 30_000);
    expect((await run)[0].outcome).toBe('IGNORED');
    const links = await cloud.linksFromSource();
    const now = links.find((l) => l.TargetAccountId === leaver);
    expect(now).toMatchObject({ AccountLinkStatus: PENDING });
    expect(now!.AccountLinkId).not.toBe(leaverLink);
    expect(answer?.body).toMatchObject({ Status: 'SUCCESS', Data: { AccountLinkIds: expect.stringContaining(now!.AccountLinkId) } });
  });

  // DEFECT: as the release, for an acceptance, which cannot be taken back: its retry linked the target the Update excluded.
  test('a run\'s acceptance retried after an Update took the resource (to exclude that target) does not link it for good', async () => {
    const [a, joiner] = [1, 2].map(target);
    cloud = await start([a], [joiner]);
    const props = { OrganizationalUnitIds: [OU], AcceptRoleName: ACCEPT_ROLE };
    const id = await deploy(cloud, props);
    cloud.organization.moveAccount(joiner, OU);
    proxy = await HoldingProxy.start(cloud.emulator.endpoint, 'AWS_ENDPOINT_URL_WORKSPACES');
    // The run invites the joiner, assumes its role, and sends its acceptance: the first attempt is held.
    const accept = proxy.holdNext(firstOf('AcceptAccountLinkInvitation'));
    const run = cloud.reconcile(id);
    await accept;

    // An Update excludes the joiner and takes the resource; then the run's first attempt is answered throttled.
    const update = cloud.event('Update', { ...props, ExcludeAccountIds: [joiner] }, { physicalResourceId: id, oldProperties: props });
    await takeOver(cloud, update);
    proxy.throttleNext();
    expect((await cloud.responses.waitFor(update.RequestId, 30_000))?.body.Status).toBe('SUCCESS');
    expect((await run)[0].outcome).toBe('IGNORED');
    // The Update wanted no link to the joiner (an accepted link can never be removed): its invitation is released.
    expect(cloud.emulator.callsTo('AcceptAccountLinkInvitation').filter((r) => r.accessKeyId?.endsWith(joiner))).toEqual([]);
    expect((await byTarget(cloud))[joiner]).toBeUndefined();
  });
});

describe('(c) a run after a Delete does nothing', () => {
  // DEFECT: a failed Delete leaves the record `live` with its properties, so a late run (the Scheduler and Lambda retry
  // deliveries for hours) invites the joiner. Fails at `expect(line.outcome).toBe('IGNORED')` (RECONCILED).
  test('a Delete that failed (its release refused) still ends the runs: no run invites for a resource CloudFormation is deleting', async () => {
    const [a, joiner] = [1, 2].map(target);
    cloud = await start([a], [joiner]);
    const props = { OrganizationalUnitIds: [OU] };
    const id = await deploy(cloud, props);
    // The Delete's one WorkSpaces call (its release of a's invitation) is refused: DELETE_FAILED.
    cloud.emulator.setDelay(0);
    cloud.emulator.injectFaults({ type: 'AccessDeniedException', message: 'not now' });
    const [deleted] = await cloud.deliver(cloud.event('Delete', props, { physicalResourceId: id }));
    expect(deleted.body.Status).toBe('FAILED');

    cloud.organization.moveAccount(joiner, OU);
    const [line] = await cloud.reconcile(id);
    expect(line.outcome).toBe('IGNORED');
    expect(creates(cloud)).toEqual([a]);
  });
});

describe('(d, e) intent records', () => {
  // DEFECT: the superseded writer's `intended` record (no Create ever sent) stays; the next run resolves it by sending its
  // token's Create, which makes a new invitation to the target that rejected. Fails at the second `toHaveLength(1)` (2 Creates).
  // (With the target still pending instead, the same record is a false 'cannot be resolved ... delete it' note in every run.)
  test('an intent record that reaches the ledger after a newer request took the resource (its Create never sent) does not make a run invite a target that rejected', async () => {
    const [a, joiner] = [1, 2].map(target);
    cloud = await start([a], [joiner]);
    const props = { OrganizationalUnitIds: [OU] };
    const id = await deploy(cloud, props);
    proxy = await HoldingProxy.start(cloud.ledger!.endpoint, 'AWS_ENDPOINT_URL_DYNAMODB');
    // The Update that adds the joiner records its intent; the write reaches DynamoDB late.
    const older = cloud.event('Update', { ...props, TargetAccountIds: [joiner] }, { physicalResourceId: id, oldProperties: props });
    const intent = proxy.holdNext((r) => invitationWrite(r)?.request === older.RequestId && invitationWrite(r)?.state === 'intended');
    cloud.lambda.invoke(FUNCTION_ARN, older);
    expect(invitationWrite(await intent)).toMatchObject({ target: joiner, state: 'intended' });

    // Meanwhile a newer request (as CloudFormation sends once it gave up on the older) takes the resource and invites the joiner.
    // (A run's intent write is open to the same: a deployment may take the resource from a run at any time.)
    const newer = cloud.event('Update', { ...props, TargetAccountIds: [joiner], CallsPerSecond: '3' }, {
      physicalResourceId: id, oldProperties: { ...props, TargetAccountIds: [joiner] },
    });
    cloud.lambda.invoke(FUNCTION_ARN, newer);
    expect((await cloud.responses.waitFor(newer.RequestId, 60_000))?.body.Status).toBe('SUCCESS');
    proxy.releaseAll();
    await cloud.settle();
    // The older request then finds it no longer holds the resource: it answers nothing, and never sent its Create.
    expect(cloud.answersTo(older)).toEqual([]);
    expect(creates(cloud).filter((t) => t === joiner)).toHaveLength(1);

    // The joiner says no to the newer request's invitation; a run reports it, and invites nobody.
    const link = (await cloud.linksFromSource()).find((l) => l.TargetAccountId === joiner)!.AccountLinkId;
    await cloud.clientOf(joiner).send('RejectAccountLinkInvitation', { LinkId: link });
    const [line] = await cloud.reconcile(id);
    expect(line).toMatchObject({ outcome: 'RECONCILED' });
    expect(creates(cloud).filter((t) => t === joiner)).toHaveLength(1);
    expect(await byTarget(cloud)).toEqual({ [a]: PENDING, [joiner]: 'REJECTED' });
  });
});

describe('(e, f) what EventBridge refused', () => {
  // DEFECT: report.ts drops an unsent change of a target no longer wanted from the statuses either way: the event is lost.
  // Fails at the last expect (no event).
  test('the release of a leaver\'s pending invitation is not lost when its event is refused: the next run sends it', async () => {
    const [a, leaver] = [1, 2].map(target);
    cloud = await start([a, leaver]);
    const id = await deploy(cloud, { OrganizationalUnitIds: [OU] });
    const leaverLink = (await cloud.linksFromSource()).find((l) => l.TargetAccountId === leaver)!.AccountLinkId;
    cloud.organization.moveAccount(leaver, OTHER_OU);
    cloud.emulator.eventsFault = 'internal-entries';
    const [line] = await cloud.reconcile(id);
    expect(line).toMatchObject({ outcome: 'RECONCILED', counts: expect.objectContaining({ Released: 1 }) });
    expect(String(line.note)).toMatch(/1 of 1 Account Link Changed events were not sent/);
    cloud.emulator.eventsFault = undefined;
    const [next] = await cloud.reconcile(id, { time: new Date(Date.now() + 2_000) });
    expect(next).toMatchObject({ outcome: 'RECONCILED' });
    expect(changes(cloud).filter((c) => c.targetAccountId === leaver && c.observedBy === 'schedule')).toEqual([
      expect.objectContaining({ accountLinkId: leaverLink, oldStatus: PENDING, newStatus: 'LINK_NOT_FOUND' }),
    ]);
  });

  // DEFECT: an unsent first sighting is removed from `observed`, and knownTargets reads only `observed`: the target counts as
  // a newcomer, and a run invites it again (the lead's rule: an invitation someone deleted is reported, not invited again).
  // Fails at the `Invited: 0` expect (Invited 1).
  test('a target first seen by a deployment whose event was refused is still a known target: its invitation deleted later, a run does not invite it again', async () => {
    const [a, b] = [1, 2].map(target);
    cloud = await start([a, b]);
    cloud.emulator.eventsFault = 'internal-entries';
    const id = await deploy(cloud, { OrganizationalUnitIds: [OU] });
    cloud.emulator.eventsFault = undefined;
    // Someone deletes b's pending invitation: as the lead's test has it, a run reports it and invites nobody.
    const link = (await cloud.linksFromSource()).find((l) => l.TargetAccountId === b)!.AccountLinkId;
    await cloud.clientOf(SOURCE).send('DeleteAccountLinkInvitation', { LinkId: link });
    const [line] = await cloud.reconcile(id);
    expect(line).toMatchObject({ outcome: 'RECONCILED', counts: expect.objectContaining({ Invited: 0 }) });
    expect(creates(cloud).filter((t) => t === b)).toHaveLength(1);
  });
});

describe('(f) one event per change', () => {
  // DEFECT: a deployment reports after its verdict is recorded (no longer holding), and writes `observed` only after PutEvents:
  // a run in between compares with the old statuses and sends the same change again. Fails at the last expect (2 events).
  test('a run that starts while a deployment reports what it did (its answer recorded, its events on the way) sends no second event for the same change', async () => {
    const [a, added] = [1, 2].map(target);
    cloud = await start([a], [added]);
    const props = { OrganizationalUnitIds: [OU] };
    const id = await deploy(cloud, props);
    // EventBridge answers slowly (it takes the events at once): the deployment's report lasts a while after its verdict.
    cloud.emulator.setDelay(3_000, 'PutEvents');
    const update = cloud.event('Update', { ...props, TargetAccountIds: [added] }, { physicalResourceId: id, oldProperties: props });
    const answered = cloud.deliver(update);
    await until(async () => {
      const holder = (await resourceRecord(cloud!))?.holder;
      return holder?.request === update.RequestId && holder.answered === 'SUCCESS';
    });
    const [line] = await cloud.reconcile(id);
    expect((await answered)[0].body.Status).toBe('SUCCESS');
    cloud.emulator.setDelay(0);
    expect(line).toMatchObject({ outcome: 'RECONCILED' });
    // The added target was seen PENDING for the first time once: one event, whoever sends it.
    expect(changes(cloud).filter((c) => c.targetAccountId === added)).toEqual([expect.objectContaining({ newStatus: PENDING })]);
  });

  // DEFECT: the second event's run is IGNORED ('run event-1 is in progress'; one due at the same second: 'ran already'), and
  // the first read the units before the second account moved: with reconcileOnAccountEvents alone (no schedule) nothing
  // sees to it until another event. Fails at the last expect.
  test('an account event\'s run that comes while another run is in progress, after it read the units, is not lost: its account is invited', async () => {
    const [a, first, second] = [1, 2, 3].map(target);
    cloud = await start([a], [first, second]);
    const id = await deploy(cloud, { OrganizationalUnitIds: [OU] });
    proxy = await HoldingProxy.start(cloud.emulator.endpoint, 'AWS_ENDPOINT_URL_WORKSPACES');
    // The first account's event starts a run; it reads the units and invites the first account (held back a while).
    cloud.organization.moveAccount(first, OU);
    const invite = proxy.holdNext((r) => r.operation === 'CreateAccountLinkInvitation');
    const firstRun = cloud.reconcile(id, { run: 'event-1', trigger: 'account-event' });
    expect((await invite).body).toMatchObject({ TargetAccountId: first });

    // The second account moves in; its event's run comes while the first is still at work.
    cloud.organization.moveAccount(second, OU);
    const time = new Date(Date.now() + 1_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const request: ReconcileRequest = {
      stackId: STACK_ID, logicalResourceId: 'Targets', physicalResourceId: id, ledgerTable: cloud.ledger!.tableName, run: 'event-2', time, trigger: 'account-event',
    };
    cloud.lambda.invoke(FUNCTION_ARN, { [RECONCILE_KEY]: request });
    await until(async () => cloud!.runLines('event-2').length > 0);
    proxy.releaseAll();
    await firstRun;
    await cloud.settle();
    // No other event comes (and no schedule, with reconcileOnAccountEvents alone): the second account must have been seen to.
    expect(await byTarget(cloud)).toEqual({ [a]: PENDING, [first]: PENDING, [second]: PENDING });
    // Each round writes its metrics, and counts only its own invitations: their Sum is the run's two (round 2 counted 2 before).
    const invited = cloud.metricDocuments().filter((d) => d.run === 'event-1').map((d) => d.Invited as number);
    expect(invited).toHaveLength(2);
    expect(invited.reduce((sum, n) => sum + n, 0)).toBe(2);
  });
});

describe('(g) metrics', () => {
  // DEFECT: report() counts every resolved target without a link seen as LINK_NOT_FOUND: NotLinkedCount 2, PendingCount 0
  // (alarmWhenNotLinked would fire), `observed` overwritten, and PENDING -> LINK_NOT_FOUND events sent. Fails at the metrics expect.
  test('a run its invocation cuts short reports no target it did not look at as LINK_NOT_FOUND: no false NotLinkedCount, the statuses kept, no false event', async () => {
    const [a, b, leaver] = [1, 2, 3].map(target);
    cloud = await start([a, b, leaver]);
    const id = await deploy(cloud, { OrganizationalUnitIds: [OU] });
    expect(await byTarget(cloud)).toEqual({ [a]: PENDING, [b]: PENDING, [leaver]: PENDING });
    const events = changes(cloud).length;

    // The leaver's release is the first step the run's clock stops: with a 56 s function, no target's work starts.
    cloud.organization.moveAccount(leaver, OTHER_OU);
    functionTimeout(cloud, 56_000);
    const [line] = await cloud.reconcile(id);
    expect(line).toMatchObject({ outcome: 'RECONCILED', finished: false });
    // a and b still have their pending invitations: the run never saw them otherwise.
    expect(await byTarget(cloud)).toMatchObject({ [a]: PENDING, [b]: PENDING });
    const metrics = cloud.metricDocuments().filter((d) => d.run === line.reconcile);
    for (const document of metrics) expect(document).not.toMatchObject({ NotLinkedCount: 2 });
    expect(await observed(cloud)).toMatchObject({ [a]: { status: PENDING }, [b]: { status: PENDING } });
    expect(changes(cloud).slice(events).filter((c) => c.targetAccountId === a || c.targetAccountId === b)).toEqual([]);
  });
});

describe('what held', () => {
  test('a run whose Create lost its answer (the invocation\'s time ran out) leaves its invitation in the books: the Delete releases it', async () => {
    const [a, joiner] = [1, 2].map(target);
    cloud = await start([a], [joiner]);
    const props = { OrganizationalUnitIds: [OU] };
    const id = await deploy(cloud, props);
    cloud.organization.moveAccount(joiner, OU);
    // A 62 s function: the run's last read starts 1.5 s in, it stops 11.5 s in; the Create is made at once, answered after 12 s.
    functionTimeout(cloud, 62_000);
    cloud.emulator.setDelay(12_000, 'CreateAccountLinkInvitation');
    const [line] = await cloud.reconcile(id);
    cloud.emulator.setDelay(0);
    functionTimeout(cloud, 120_000);
    expect(line).toMatchObject({ outcome: 'RECONCILED', finished: false });
    expect(await byTarget(cloud)).toEqual({ [a]: PENDING, [joiner]: PENDING });
    const [deleted] = await cloud.deliver(cloud.event('Delete', props, { physicalResourceId: id }));
    expect(deleted.body.Status).toBe('SUCCESS');
    expect(await byTarget(cloud)).toEqual({});
  });

  test('a run\'s Create already on its way when an Update takes the resource lands before the Update acts: the Update counts that invitation and makes no second one', async () => {
    const [a, joiner] = [1, 2].map(target);
    cloud = await start([a], [joiner]);
    const props = { OrganizationalUnitIds: [OU] };
    const id = await deploy(cloud, props);
    cloud.organization.moveAccount(joiner, OU);
    proxy = await HoldingProxy.start(cloud.emulator.endpoint, 'AWS_ENDPOINT_URL_WORKSPACES');
    const invite = proxy.holdNext(firstOf('CreateAccountLinkInvitation'));
    const run = cloud.reconcile(id);
    expect((await invite).body).toMatchObject({ TargetAccountId: joiner });
    const update = cloud.event('Update', { ...props, CallsPerSecond: '3' }, { physicalResourceId: id, oldProperties: props });
    await takeOver(cloud, update);
    await proxy.releaseNext();
    expect((await cloud.responses.waitFor(update.RequestId, 30_000))?.body).toMatchObject({ Status: 'SUCCESS', Data: { TargetCount: '2' } });
    const [line] = await run;
    expect(line.outcome).toBe('IGNORED');
    expect(await byTarget(cloud)).toEqual({ [a]: PENDING, [joiner]: PENDING });
    expect(creates(cloud).filter((t) => t === joiner)).toHaveLength(1);
  });

  test('a run with a role source (AssumeRoleArn) invites from that account, as the role; a target whose accept role cannot be assumed stays pending, said in the note, and is invited once', async () => {
    const [a, joiner] = [1, 2].map(target);
    const source = '444455556666';
    cloud = await OrganizationCloud.start({
      targets: [a, joiner, source],
      organization: { OrganizationalUnits: [{ Id: OU, Accounts: [a] }, { Id: OTHER_OU, Accounts: [joiner] }] },
      unassumable: [joiner],
    });
    const props = { OrganizationalUnitIds: [OU], AssumeRoleArn: `arn:aws:iam::${source}:role/LinksSource`, AcceptRoleName: ACCEPT_ROLE };
    const id = await deploy(cloud, props);
    cloud.organization.moveAccount(joiner, OU);
    const [line] = await cloud.reconcile(id);
    expect(line).toMatchObject({ outcome: 'RECONCILED', counts: expect.objectContaining({ Invited: 1, LinkedCount: 1, PendingCount: 1 }) });
    expect(String(line.note)).toContain(`account ${joiner}: could not accept as arn:aws:iam::${joiner}:role/${ACCEPT_ROLE}`);
    const fromSource = cloud.emulator.snapshot().filter((l) => l.SourceAccountId === source);
    expect(Object.fromEntries(fromSource.map((l) => [l.TargetAccountId, l.AccountLinkStatus]))).toEqual({ [a]: 'LINKED', [joiner]: PENDING });
    expect(cloud.emulator.callsTo('CreateAccountLinkInvitation').map((r) => r.accessKeyId)).toEqual([`ASIA${source}`, `ASIA${source}`]);
    expect(changes(cloud).filter((c) => c.observedBy === 'schedule')).toEqual([expect.objectContaining({ sourceAccountId: source, targetAccountId: joiner, newStatus: PENDING })]);

    // The next run tries the acceptance again, and invites nobody.
    const [next] = await cloud.reconcile(id, { time: new Date(Date.now() + 2_000) });
    expect(next).toMatchObject({ outcome: 'RECONCILED', counts: expect.objectContaining({ Invited: 0, PendingCount: 1 }) });
    expect(creates(cloud)).toHaveLength(2);
  });

  test('an Update that failed, a run, then its rollback: the run acts with the last successful properties, and each target is invited once', async () => {
    const [a, added, joiner] = [1, 2, 3].map(target);
    cloud = await start([a], [joiner, added], { unassumable: [added] });
    const props = { OrganizationalUnitIds: [OU] };
    const id = await deploy(cloud, props);
    const failing = { ...props, TargetAccountIds: [added], AcceptRoleName: ACCEPT_ROLE };
    const [failed] = await cloud.deliver(cloud.event('Update', failing, { physicalResourceId: id, oldProperties: props }));
    expect(failed.body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: id });
    expect(await byTarget(cloud)).toEqual({ [a]: 'LINKED', [added]: PENDING });

    // Before CloudFormation's rollback: a run with the Create's properties releases what the failed Update invited.
    cloud.organization.moveAccount(joiner, OU);
    const [line] = await cloud.reconcile(id);
    expect(line).toMatchObject({ outcome: 'RECONCILED', counts: expect.objectContaining({ TargetCount: 2, Invited: 1, Released: 1 }) });
    expect(await byTarget(cloud)).toEqual({ [a]: 'LINKED', [joiner]: PENDING });

    const [rolledBack] = await cloud.deliver(cloud.event('Update', props, { physicalResourceId: id, oldProperties: failing }));
    expect(rolledBack.body.Status).toBe('SUCCESS');
    expect(await byTarget(cloud)).toEqual({ [a]: 'LINKED', [joiner]: PENDING });
    expect(creates(cloud).sort()).toEqual([a, added, joiner]);
  });

  test('a run for a resource whose recorded properties no longer parse fails, says why, is done (the next one fails the same, not "in progress"), and touches nothing', async () => {
    const [a, joiner] = [1, 2].map(target);
    cloud = await start([a], [joiner]);
    const id = await deploy(cloud, { OrganizationalUnitIds: [OU] });
    // As a handler that reads the properties more strictly would find them.
    const items = await cloud.ledger!.rawItems();
    const item = items.find((i) => i.sk.S === 'resource')!;
    const record = JSON.parse(item.doc.S!);
    record.properties = { ...record.properties, CallsPerSecond: 'fast', OrganizationalUnitIds: 'not-a-list' };
    const changed = { ...item, doc: { S: JSON.stringify(record) } };
    await cloud.ledger!.client.send(new PutItemCommand({ TableName: cloud.ledger!.tableName, Item: changed }));
    cloud.organization.moveAccount(joiner, OU);
    const metricLines = cloud.metricDocuments().length;
    const [line] = await cloud.reconcile(id);
    expect(line).toMatchObject({ outcome: 'FAILED', reason: expect.stringMatching(/CallsPerSecond|OrganizationalUnitIds/) });
    const [next] = await cloud.reconcile(id, { time: new Date(Date.now() + 2_000) });
    expect(next).toMatchObject({ outcome: 'FAILED' });
    expect(creates(cloud)).toEqual([a]);
    expect(cloud.metricDocuments()).toHaveLength(metricLines);
    expect(cloud.lambda.logs.filter((l) => l.startsWith('invocation ended with exit status'))).toEqual([]);
  });

  test('each is logged and acts on nothing: no crash, no WorkSpaces write, no event', async () => {
    const [a, joiner] = [1, 2].map(target);
    cloud = await start([a], [joiner]);
    const id = await deploy(cloud, { OrganizationalUnitIds: [OU] });
    cloud.organization.moveAccount(joiner, OU);
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const good: ReconcileRequest = {
      stackId: STACK_ID, logicalResourceId: 'Targets', physicalResourceId: id, ledgerTable: cloud.ledger!.tableName, run: `hostile-${now}`, time: now, trigger: 'schedule',
    };
    const otherStack = STACK_ID.replace(/stack\/org-links\//, 'stack/other-links/');
    const payloads: unknown[] = [
      null, 42, [good], { [RECONCILE_KEY]: null }, { [RECONCILE_KEY]: [good] }, { [RECONCILE_KEY]: 'run' },
      { [RECONCILE_KEY]: { ...good, run: 'x'.repeat(257) } },
      { [RECONCILE_KEY]: { ...good, physicalResourceId: 'p'.repeat(100_000) } },
      { [RECONCILE_KEY]: { ...good, trigger: 'deployment' } },
      { [RECONCILE_KEY]: { ...good, time: 'yesterday' } },
      { [RECONCILE_KEY]: { ...good, time: '2026-13-45T99:99:99Z' } },
      { [RECONCILE_KEY]: { ...good, time: '9999-12-31T23:59:59Z', run: 'future' } },
      { [RECONCILE_KEY]: { ...good, time: 1 } },
      { [RECONCILE_KEY]: { ...good, ledgerTable: 'no-such-table', run: 'wrong-table' } },
      { [RECONCILE_KEY]: { ...good, ledgerTable: 'a/b' } },
      { [RECONCILE_KEY]: { ...good, stackId: otherStack, run: 'other-stack' } },
      { [RECONCILE_KEY]: { ...good, stackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/x' } },
      { [RECONCILE_KEY]: { ...good, physicalResourceId: 'targets:no-such-request', run: 'no-such-resource' } },
      { [RECONCILE_KEY]: { ...good, physicalResourceId: `${id}\n` } },
      { [RECONCILE_KEY]: { ...good, logicalResourceId: 'Targets-1' } },
    ];
    const before = cloud.lambda.records.length;
    const metricLines = cloud.metricDocuments().length;
    for (const payload of payloads) cloud.lambda.invoke(FUNCTION_ARN, payload);
    await cloud.settle();
    expect(cloud.lambda.logs.filter((l) => l.startsWith('invocation ended with exit status') || l.startsWith('invocation failed'))).toEqual([]);
    const lines = cloud.lambda.records.slice(before).map((r) => r.message as Record<string, unknown>).filter((m) => typeof m === 'object' && m !== null && 'outcome' in m);
    // One line an invocation, none of them RECONCILED ...
    expect(lines).toHaveLength(payloads.length);
    expect(lines.filter((l) => l.outcome === 'RECONCILED')).toEqual([]);
    expect(lines.find((l) => l.reconcile === 'future')).toMatchObject({ outcome: 'IGNORED', reason: expect.stringContaining('later than now') });
    expect(lines.find((l) => l.reconcile === 'wrong-table')).toMatchObject({ outcome: 'FAILED', reason: expect.stringContaining('no-such-table') });
    expect(lines.find((l) => l.reconcile === 'other-stack')).toMatchObject({ outcome: 'IGNORED', reason: expect.stringContaining('no record') });
    expect(lines.find((l) => l.reconcile === 'no-such-resource')).toMatchObject({ outcome: 'IGNORED', reason: expect.stringContaining('no record') });
    // ... and nothing done: the joiner is not invited, no event, no metric line.
    expect(creates(cloud)).toEqual([a]);
    expect(changes(cloud).filter((c) => c.observedBy !== 'deployment')).toEqual([]);
    expect(cloud.metricDocuments()).toHaveLength(metricLines);
    // The good run still acts afterwards.
    const [line] = await cloud.reconcile(id, { run: 'good' });
    expect(line).toMatchObject({ outcome: 'RECONCILED', counts: expect.objectContaining({ Invited: 1 }) });
  });
});
