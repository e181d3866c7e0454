import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { handleEvent } from '../../lambda/handle-event';
import { CreateProgress, EventContext } from '../../lambda/resource-handler';
import type { EventResult } from '../../lambda/resource-response';
import { createEvent, deleteEvent, updateEvent } from '../../local-aws/cloudformation/events';
import { ResourceType } from '../../src/contract';
import { AccountLinksEmulator } from '../../src/emulator/emulator';
import { keepEnv } from '../support/env';
import { link, SOURCE_ACCOUNT, TARGET_ACCOUNT } from '../support/links';

// The router and each resource type's handler, in process (the end-to-end tests run the
// bundled handler in child processes): the real client against the emulator.
const KEYS = { source: 'AKIDSOURCEINPROC', target: 'AKIDTARGETINPROC' };
const RESPONSE_URL = 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/signed';
const restoreEnv = keepEnv();
let emulator: AccountLinksEmulator;

beforeEach(async () => {
  emulator = await AccountLinksEmulator.start({
    links: [link(1, 'LINKED', TARGET_ACCOUNT), link(2, 'REJECTED', '555566667777')],
    accounts: { [KEYS.source]: SOURCE_ACCOUNT, [KEYS.target]: TARGET_ACCOUNT },
  });
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: KEYS.source, AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_WORKSPACES: emulator.endpoint,
  });
  delete process.env.AWS_SESSION_TOKEN;
});

afterEach(async () => {
  await emulator.close();
  restoreEnv();
});

function context(progress: CreateProgress = {}): EventContext {
  const now = Date.now();
  return { counter: { calls: 0 }, progress, window: { lastReadStartAt: now + 60_000, handOverAt: now + 69_000 }, requestTime: now };
}

const event = (resourceType: string, properties: Record<string, unknown>) => createEvent(properties, { responseUrl: RESPONSE_URL, resourceType });
const handle = (e: CloudFormationCustomResourceEvent, progress?: CreateProgress): Promise<EventResult> => handleEvent(e, context(progress));

test('a lookup: SUCCESS with the link\'s attributes', async () => {
  await expect(handle(event(ResourceType.ACCOUNT_LINK, { LinkId: 'link-00000001' }))).resolves.toEqual({
    status: 'SUCCESS',
    physicalResourceId: 'LinkId=link-00000001',
    data: { AccountLinkId: 'link-00000001', AccountLinkStatus: 'LINKED', SourceAccountId: SOURCE_ACCOUNT, TargetAccountId: TARGET_ACCOUNT },
  });
});

test('a gate that passes on its first read answers where the wait stands', async () => {
  const outcome = await handle(event(ResourceType.ACCOUNT_LINK, { LinkId: 'link-00000001', RequiredStatus: 'LINKED', WaitTimeoutSeconds: '60' }));
  expect(outcome).toMatchObject({ status: 'SUCCESS', wait: { reads: 1 } });
});

test('a gate on a rejected link fails with the remedy', async () => {
  const outcome = await handle(event(ResourceType.ACCOUNT_LINK, { LinkId: 'link-00000002', RequiredStatus: 'LINKED' }));
  expect(outcome).toMatchObject({ status: 'FAILED', reason: expect.stringMatching(/^link link-00000002 is REJECTED, not LINKED: account 555566667777 rejected/) });
});

test('a listing: the lists and the count', async () => {
  const outcome = await handle(event(ResourceType.ACCOUNT_LINKS, { LinkStatusFilter: ['LINKED'] }));
  expect(outcome).toMatchObject({ status: 'SUCCESS', physicalResourceId: 'LinkStatusFilter=LINKED', data: { Count: '1', AccountLinkIds: 'link-00000001' } });
});

test('an invitation\'s life: created, read again on an Update in the same place, deleted', async () => {
  const create = event(ResourceType.INVITATION, { TargetAccountId: '777788889999' });
  const created = await handle(create);
  expect(created).toMatchObject({ status: 'SUCCESS', data: { AccountLinkStatus: 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT', TargetAccountId: '777788889999' } });
  const linkId = (created as { physicalResourceId: string }).physicalResourceId;

  const update = updateEvent({ TargetAccountId: '777788889999' }, { TargetAccountId: '777788889999' }, linkId,
    { responseUrl: RESPONSE_URL, resourceType: ResourceType.INVITATION });
  await expect(handle(update)).resolves.toMatchObject({ status: 'SUCCESS', physicalResourceId: linkId });
  expect(emulator.callsTo('CreateAccountLinkInvitation')).toHaveLength(1);

  const deleted = await handle(deleteEvent({ TargetAccountId: '777788889999' }, linkId, { responseUrl: RESPONSE_URL, resourceType: ResourceType.INVITATION }));
  expect(deleted).toEqual({ status: 'SUCCESS', physicalResourceId: linkId, note: `deleted the PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT invitation ${linkId}` });
});

test('an acceptance, in the target account, of the invitation its source sent', async () => {
  const invited = await handle(event(ResourceType.INVITATION, { TargetAccountId: TARGET_ACCOUNT }));
  // The target already has a LINKED link from the source: the invitation adopts it.
  expect(invited).toMatchObject({ status: 'SUCCESS', physicalResourceId: 'adopted:link-00000001' });

  process.env.AWS_ACCESS_KEY_ID = KEYS.target;
  const accepted = await handle(event(ResourceType.ACCEPTANCE, { SourceAccountId: SOURCE_ACCOUNT }));
  expect(accepted).toMatchObject({ status: 'SUCCESS', physicalResourceId: 'link-00000001', note: 'link link-00000001 was already LINKED' });
});

test('Delete of a lookup, a listing, an acceptance or an unknown type: SUCCESS without a call', async () => {
  for (const type of [ResourceType.ACCOUNT_LINK, ResourceType.ACCOUNT_LINKS, ResourceType.ACCEPTANCE, 'Custom::Other']) {
    await expect(handle(deleteEvent({ Colour: 'blue' }, 'some-id', { responseUrl: RESPONSE_URL, resourceType: type })))
      .resolves.toEqual({ status: 'SUCCESS', physicalResourceId: 'some-id' });
  }
  expect(emulator.requests).toEqual([]);
});

test('an unknown type or request type, and bad properties: FAILED with the request id as physical id', async () => {
  const other = event('Custom::Other', {});
  await expect(handle(other)).resolves.toEqual({
    status: 'FAILED',
    physicalResourceId: other.RequestId,
    reason: expect.stringMatching(/^unsupported resource type "Custom::Other"; expected Custom::WorkSpacesAccountLink or /),
  });
  const odd = { ...event(ResourceType.ACCOUNT_LINK, { LinkId: 'link-00000001' }), RequestType: 'Replace' } as unknown as CloudFormationCustomResourceEvent;
  await expect(handle(odd)).resolves.toMatchObject({ status: 'FAILED', reason: 'unknown RequestType "Replace"' });
  await expect(handle(event(ResourceType.ACCOUNT_LINK, {}))).resolves.toMatchObject({
    status: 'FAILED', reason: 'exactly one of LinkId and LinkedAccountId is required',
  });
  expect(emulator.requests).toEqual([]);
});

test('a Create that fails after sending its invitation answers the id that lets the rollback find it', async () => {
  emulator.injectFaults(...Array(4).fill({ type: 'InternalServerException' }));
  const create = event(ResourceType.INVITATION, { TargetAccountId: '777788889999' });
  const progress: CreateProgress = {};
  const outcome = await handle(create, progress);

  expect(outcome).toMatchObject({
    status: 'FAILED',
    physicalResourceId: `unconfirmed:${create.RequestId}`,
    reason: 'CreateAccountLinkInvitation for account 777788889999 failed: InternalServerException: injected InternalServerException',
  });
  expect(progress.physicalIdOnFailure).toBe(`unconfirmed:${create.RequestId}`);
});
