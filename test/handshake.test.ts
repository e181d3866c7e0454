import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { ResourceType } from '../src/contract';
import { invokeBundledHandler } from './support/bundled-handler';
import { createEvent, deleteEvent } from './support/events';
import { StsEndpoint } from './support/sts-endpoint';
import { AccountLinksEmulator } from '../src/emulator/emulator';
import { ResponseServer } from '../src/emulator/response-server';

const SOURCE = '111122223333';
const TARGET = '444455556666';
// Each account's handler signs with its own key; the emulator knows which account is which.
const KEYS = { source: 'AKIDSOURCE', target: 'AKIDTARGET', assumedTarget: 'ASIATARGETREADER' };
const ACCOUNTS = { [KEYS.source]: SOURCE, [KEYS.target]: TARGET, [KEYS.assumedTarget]: TARGET };

let emulator: AccountLinksEmulator;
let responses: ResponseServer;
let sts: StsEndpoint;

beforeAll(async () => {
  responses = await ResponseServer.start();
  sts = await StsEndpoint.start(() => KEYS.assumedTarget);
});
afterAll(async () => {
  await responses.close();
  await sts.close();
});
beforeEach(async () => {
  emulator = await AccountLinksEmulator.start({ links: [], accounts: ACCOUNTS });
  responses.responses.length = 0;
});
afterEach(async () => {
  await emulator.close();
});

/** Runs the bundled handler as deployed in `account`; exactly one response; returns it and the log line. */
async function deployAs(account: 'source' | 'target', event: CloudFormationCustomResourceEvent) {
  const before = responses.responses.length;
  const invocation = await invokeBundledHandler(event, {
    workspacesEndpoint: emulator.endpoint,
    env: { AWS_ACCESS_KEY_ID: KEYS[account], AWS_ENDPOINT_URL_STS: sts.url },
  });
  expect({ exitCode: invocation.exitCode, stderr: invocation.stderr }).toEqual({ exitCode: 0, stderr: '' });
  expect(responses.responses.length - before).toBe(1);
  return { response: responses.responses[responses.responses.length - 1].body, log: JSON.parse(invocation.logs[invocation.logs.length - 1]) };
}

const invitation = (props: Record<string, unknown>, logicalResourceId = 'Invitation') =>
  createEvent(props, { responseUrl: responses.url(), resourceType: ResourceType.INVITATION, logicalResourceId });
const acceptance = (props: Record<string, unknown>) =>
  createEvent(props, { responseUrl: responses.url(), resourceType: ResourceType.ACCEPTANCE, logicalResourceId: 'Acceptance' });
const gate = (props: Record<string, unknown>) =>
  createEvent(props, { responseUrl: responses.url(), resourceType: ResourceType.ACCOUNT_LINK, logicalResourceId: 'Gate' });

async function invite(): Promise<string> {
  const { response } = await deployAs('source', invitation({ TargetAccountId: TARGET }));
  expect(response).toMatchObject({
    Status: 'SUCCESS',
    Data: { AccountLinkStatus: 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT', SourceAccountId: SOURCE, TargetAccountId: TARGET },
  });
  expect(response.PhysicalResourceId).toBe(response.Data!.AccountLinkId);
  return response.PhysicalResourceId;
}

test('the handshake: the source invites, the target accepts, a gate in the target passes', async () => {
  const linkId = await invite();

  const accepted = await deployAs('target', acceptance({ LinkId: linkId }));
  expect(accepted.response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: linkId, Data: { AccountLinkStatus: 'LINKED' } });

  const gated = await deployAs('target', gate({ LinkId: linkId, RequiredStatus: 'LINKED' }));
  expect(gated.response).toMatchObject({ Status: 'SUCCESS', Data: { AccountLinkId: linkId, AccountLinkStatus: 'LINKED' } });
  expect(emulator.callsTo('CreateAccountLinkInvitation').map((r) => r.accessKeyId)).toEqual([KEYS.source]);
  expect(emulator.callsTo('AcceptAccountLinkInvitation').map((r) => r.accessKeyId)).toEqual([KEYS.target]);
});

test('a CloudFormation retry of the same Create sends the same ClientToken: one invitation', async () => {
  const event = invitation({ TargetAccountId: TARGET });
  const first = await deployAs('source', event);
  const retry = await deployAs('source', event);

  const tokens = emulator.callsTo('CreateAccountLinkInvitation').map((r) => r.input.ClientToken);
  expect(tokens).toHaveLength(2);
  expect(tokens[0]).toMatch(/^[0-9a-f]{64}$/);
  expect(tokens[1]).toBe(tokens[0]);
  expect(retry.response.PhysicalResourceId).toBe(first.response.PhysicalResourceId);
});

test('a target already invited: ConflictException adopts the existing link', async () => {
  const linkId = await invite();
  const { response, log } = await deployAs('source', invitation({ TargetAccountId: TARGET }, 'SecondInvitation'));

  expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: linkId });
  expect(log.note).toBe(`adopted existing link ${linkId} (PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT): account ${TARGET} was already linked or invited`);
  expect(emulator.callsTo('GetAccountLink').map((r) => r.input)).toEqual([{ LinkedAccountId: TARGET }]);
});

test('inviting the own account fails with the service\'s reason', async () => {
  const { response } = await deployAs('source', invitation({ TargetAccountId: SOURCE }));

  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toBe(`CreateAccountLinkInvitation for account ${SOURCE} failed: ValidationException: The source and target accounts must differ.`);
});

test('the target rejects: REJECTED, and a gate on LINKED then fails at once', async () => {
  const linkId = await invite();
  const rejected = await deployAs('target', acceptance({ LinkId: linkId, Reject: 'true' }));
  expect(rejected.response).toMatchObject({ Status: 'SUCCESS', Data: { AccountLinkStatus: 'REJECTED' } });
  expect(emulator.callsTo('RejectAccountLinkInvitation')).toHaveLength(1);

  const gated = await deployAs('target', gate({ LinkId: linkId, RequiredStatus: 'LINKED', WaitTimeoutSeconds: '60', PollIntervalSeconds: '1' }));
  expect(gated.response.Status).toBe('FAILED');
  expect(gated.response.Reason).toMatch(/is REJECTED, not LINKED/);
});

test('accepting a link that is already LINKED is a success', async () => {
  const linkId = await invite();
  await deployAs('target', acceptance({ LinkId: linkId }));
  const again = await deployAs('target', acceptance({ LinkId: linkId }));

  expect(again.response).toMatchObject({ Status: 'SUCCESS', Data: { AccountLinkStatus: 'LINKED' } });
  expect(again.log.note).toBe(`link ${linkId} was already LINKED`);
});

test('Delete while pending removes the invitation', async () => {
  const linkId = await invite();
  const { response, log } = await deployAs('source',
    deleteEvent({ TargetAccountId: TARGET }, linkId, { responseUrl: responses.url(), resourceType: ResourceType.INVITATION }));

  expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: linkId });
  expect(log.note).toBe(`deleted the PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT invitation ${linkId}`);
  expect(emulator.callsTo('DeleteAccountLinkInvitation').map((r) => r.input)).toEqual([{ LinkId: linkId }]);
  const gone = await deployAs('source', gate({ LinkId: linkId }));
  expect(gone.response.Reason).toMatch(/ResourceNotFoundException/);
});

test('Delete after LINKED leaves the link and says so', async () => {
  const linkId = await invite();
  await deployAs('target', acceptance({ LinkId: linkId }));
  const { response, log } = await deployAs('source',
    deleteEvent({ TargetAccountId: TARGET }, linkId, { responseUrl: responses.url(), resourceType: ResourceType.INVITATION }));

  expect(response.Status).toBe('SUCCESS');
  expect(log.note).toBe(`link ${linkId} is LINKED and was left in place: the API cannot unlink it`);
  expect(emulator.callsTo('DeleteAccountLinkInvitation')).toHaveLength(0);
});

test('Delete of an invitation whose Create failed calls no API', async () => {
  const { response } = await deployAs('source',
    deleteEvent({ TargetAccountId: TARGET }, 'request-7', { responseUrl: responses.url(), resourceType: ResourceType.INVITATION }));

  expect(response.Status).toBe('SUCCESS');
  expect(emulator.requests).toHaveLength(0);
});

test('cross-account read: the handler assumes the role and signs the WorkSpaces call with its credentials', async () => {
  const linkId = await invite();
  const roleArn = `arn:aws:iam::${TARGET}:role/link-reader`;
  const { response } = await deployAs('source', gate({ LinkId: linkId, AssumeRoleArn: roleArn, ExternalId: 'shared-secret', Region: 'eu-west-1' }));

  expect(response).toMatchObject({ Status: 'SUCCESS', Data: { AccountLinkId: linkId } });
  expect(sts.calls[sts.calls.length - 1]).toEqual({
    roleArn, externalId: 'shared-secret', roleSessionName: 'cdk-workspaces-account-links', signedBy: KEYS.source,
  });
  expect(emulator.callsTo('GetAccountLink').map((r) => r.accessKeyId)).toEqual([KEYS.assumedTarget]);
});
