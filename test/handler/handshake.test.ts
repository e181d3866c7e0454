import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { deleteEvent } from '../../local-aws/cloudformation/events';
import { StsEndpoint } from '../../local-aws/sts-endpoint';
import { ResourceType } from '../../src/contract';
import { LocalCloud } from '../support/local-cloud';

const SOURCE = '111122223333';
const TARGET = '444455556666';
// Each account's handler signs with its own key; the emulator knows which account is which.
const KEYS = { source: 'AKIDSOURCE', target: 'AKIDTARGET', assumedTarget: 'ASIATARGETREADER' };
const ACCOUNTS = { [KEYS.source]: SOURCE, [KEYS.target]: TARGET, [KEYS.assumedTarget]: TARGET };

const cloud = LocalCloud.use(() => ({ links: [], accounts: ACCOUNTS }));
let sts: StsEndpoint;

beforeAll(async () => {
  sts = await StsEndpoint.start(() => KEYS.assumedTarget);
});
afterAll(async () => {
  await sts.close();
});

/** Runs the bundled handler as deployed in `account` (signing with its key); returns its one answer and log line. */
function deployAs(account: 'source' | 'target', event: CloudFormationCustomResourceEvent) {
  return cloud.respond(event, { env: { AWS_ACCESS_KEY_ID: KEYS[account], AWS_ENDPOINT_URL_STS: sts.url } });
}

const invitation = (props: Record<string, unknown>, logicalResourceId = 'Invitation') =>
  cloud.createEvent(props, ResourceType.INVITATION, logicalResourceId);
const acceptance = (props: Record<string, unknown>) => cloud.createEvent(props, ResourceType.ACCEPTANCE, 'Acceptance');
const gate = (props: Record<string, unknown>) => cloud.createEvent(props, ResourceType.ACCOUNT_LINK, 'Gate');

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
  expect(cloud.emulator.callsTo('CreateAccountLinkInvitation').map((r) => r.accessKeyId)).toEqual([KEYS.source]);
  expect(cloud.emulator.callsTo('AcceptAccountLinkInvitation').map((r) => r.accessKeyId)).toEqual([KEYS.target]);
});

test('the target accepts by the source account id, without knowing the link id', async () => {
  const linkId = await invite();
  const { response } = await deployAs('target', acceptance({ SourceAccountId: SOURCE }));

  expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: linkId, Data: { AccountLinkStatus: 'LINKED' } });
  // The pair's links are listed (GetAccountLink by account may pick any of several).
  expect(cloud.emulator.callsTo('ListAccountLinks')).toHaveLength(1);
  expect(cloud.emulator.callsTo('GetAccountLink')).toHaveLength(0);
  expect(cloud.emulator.callsTo('AcceptAccountLinkInvitation').map((r) => r.input.LinkId)).toEqual([linkId]);
});

test('accepting by an account that sent no invitation fails, naming it', async () => {
  const { response } = await deployAs('target', acceptance({ SourceAccountId: SOURCE }));

  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toBe(`account ${SOURCE} has no pending invitation to this account (ListAccountLinks found none that is PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT or LINKED)`);
});

test('a CloudFormation retry of the same Create sends the same ClientToken: one invitation', async () => {
  const event = invitation({ TargetAccountId: TARGET });
  const first = await deployAs('source', event);
  const retry = await deployAs('source', event);

  const tokens = cloud.emulator.callsTo('CreateAccountLinkInvitation').map((r) => r.input.ClientToken);
  expect(tokens).toHaveLength(2);
  expect(tokens[0]).toMatch(/^[0-9a-f]{64}$/);
  expect(tokens[1]).toBe(tokens[0]);
  expect(retry.response.PhysicalResourceId).toBe(first.response.PhysicalResourceId);
});

test('a target already invited: ConflictException adopts the existing link', async () => {
  const linkId = await invite();
  const { response, log } = await deployAs('source', invitation({ TargetAccountId: TARGET }, 'SecondInvitation'));

  // Adopted, not owned: its Delete leaves the link to the resource that created it.
  expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `adopted:${linkId}`, Data: { AccountLinkId: linkId } });
  expect(log.note).toBe(`adopted existing link ${linkId} (PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT): account ${TARGET} was already linked or invited; Delete leaves it in place`);
  expect(cloud.emulator.callsTo('ListAccountLinks')).toHaveLength(1);
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
  expect(cloud.emulator.callsTo('RejectAccountLinkInvitation')).toHaveLength(1);

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
    deleteEvent({ TargetAccountId: TARGET }, linkId, { responseUrl: cloud.responses.url(), resourceType: ResourceType.INVITATION }));

  expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: linkId });
  expect(log.note).toBe(`deleted the PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT invitation ${linkId}`);
  expect(cloud.emulator.callsTo('DeleteAccountLinkInvitation').map((r) => r.input)).toEqual([{ LinkId: linkId }]);
  const gone = await deployAs('source', gate({ LinkId: linkId }));
  expect(gone.response.Reason).toMatch(/ResourceNotFoundException/);
});

test('Delete after LINKED leaves the link and says so', async () => {
  const linkId = await invite();
  await deployAs('target', acceptance({ LinkId: linkId }));
  const { response, log } = await deployAs('source',
    deleteEvent({ TargetAccountId: TARGET }, linkId, { responseUrl: cloud.responses.url(), resourceType: ResourceType.INVITATION }));

  expect(response.Status).toBe('SUCCESS');
  expect(log.note).toBe(`link ${linkId} is LINKED and was left in place: the API cannot unlink it`);
  expect(cloud.emulator.callsTo('DeleteAccountLinkInvitation')).toHaveLength(0);
});

test('Delete of an invitation whose Create failed (bad properties, no link id) succeeds without an API call', async () => {
  const { response } = await deployAs('source',
    deleteEvent({ TargetAccountId: 'not-an-account' }, 'request-7', { responseUrl: cloud.responses.url(), resourceType: ResourceType.INVITATION }));

  expect(response.Status).toBe('SUCCESS');
  expect(cloud.emulator.requests).toHaveLength(0);
});

test('cross-account read: the handler assumes the role and signs the WorkSpaces call with its credentials', async () => {
  const linkId = await invite();
  const roleArn = `arn:aws:iam::${TARGET}:role/link-reader`;
  const { response } = await deployAs('source', gate({ LinkId: linkId, AssumeRoleArn: roleArn, ExternalId: 'shared-secret', Region: 'eu-west-1' }));

  expect(response).toMatchObject({ Status: 'SUCCESS', Data: { AccountLinkId: linkId } });
  expect(sts.calls[sts.calls.length - 1]).toEqual({
    roleArn, externalId: 'shared-secret', roleSessionName: 'cdk-workspaces-account-links', signedBy: KEYS.source,
  });
  expect(cloud.emulator.callsTo('GetAccountLink').map((r) => r.accessKeyId)).toEqual([KEYS.assumedTarget]);
});
