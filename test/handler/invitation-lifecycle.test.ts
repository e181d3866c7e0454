import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { HANDOVER_RESERVE_MS, RESPONSE_RESERVE_MS } from '../../lambda/time-budget';
import { deleteEvent, updateEvent } from '../../local-aws/cloudformation/events';
import { StsEndpoint } from '../../local-aws/sts-endpoint';
import { ResourceType } from '../../src/contract';
import { EmulatedAccountLink } from '../../src/emulator/links-file';
import { LocalCloud } from '../support/local-cloud';
import { ScriptedEndpoint } from '../support/scripted-endpoint';

// The invitation lifecycle when links pile up between two accounts, deliveries repeat and
// answers go missing: one owner per invitation, and no orphan after a rollback.

const SOURCE = '111122223333';
const OTHER_SOURCE = '777788889999';
const TARGET = '444455556666';
const KEYS = { source: 'AKIDSOURCE', target: 'AKIDTARGET', otherSource: 'ASIAOTHERSOURCE' };
const ACCOUNTS = { [KEYS.source]: SOURCE, [KEYS.target]: TARGET, [KEYS.otherSource]: OTHER_SOURCE };
const PENDING = 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT';
const OTHER_ROLE = `arn:aws:iam::${OTHER_SOURCE}:role/inviter`;

const cloud = LocalCloud.use(() => ({ links: [], accounts: ACCOUNTS }));
let sts: StsEndpoint;
beforeAll(async () => {
  sts = await StsEndpoint.start(() => KEYS.otherSource);
});
afterAll(async () => {
  await sts.close();
});

const serve = (...links: EmulatedAccountLink[]) => cloud.reseed({ links, accounts: ACCOUNTS });
const between = (id: string, status: string, source = SOURCE, target = TARGET): EmulatedAccountLink =>
  ({ AccountLinkId: id, AccountLinkStatus: status, SourceAccountId: source, TargetAccountId: target });

function deployAs(account: 'source' | 'target', event: CloudFormationCustomResourceEvent, options: { workspacesEndpoint?: string; remainingMs?: number } = {}) {
  return cloud.respond(event, {
    env: { AWS_ACCESS_KEY_ID: KEYS[account], AWS_ENDPOINT_URL_STS: sts.url },
    ...(options.workspacesEndpoint ? { workspacesEndpoint: options.workspacesEndpoint } : {}),
    remainingMs: options.remainingMs,
  });
}

const urlOptions = (resourceType: string, logicalResourceId: string) => ({ responseUrl: cloud.responses.url(), resourceType, logicalResourceId });
const invitation = (props: Record<string, unknown>, logicalResourceId = 'Invitation') =>
  cloud.createEvent(props, ResourceType.INVITATION, logicalResourceId);
const deleteInvitation = (props: Record<string, unknown>, physicalId: string, logicalResourceId = 'Invitation') =>
  deleteEvent(props, physicalId, urlOptions(ResourceType.INVITATION, logicalResourceId));
const acceptance = (props: Record<string, unknown>) => cloud.createEvent(props, ResourceType.ACCEPTANCE, 'Acceptance');

describe('8. several links between the same two accounts', () => {
  test('accepting by the source account picks the new pending invitation, not the old REJECTED one', async () => {
    await serve(between('link-0000old1', 'REJECTED'), between('link-0000new1', PENDING));
    const { response } = await deployAs('target', acceptance({ SourceAccountId: SOURCE }));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'link-0000new1', Data: { AccountLinkStatus: 'LINKED' } });
    expect(cloud.emulator.callsTo('AcceptAccountLinkInvitation').map((r) => r.input.LinkId)).toEqual(['link-0000new1']);
  });

  test('an invitation that conflicts adopts the pending link, never the REJECTED one', async () => {
    await serve(between('link-0000old1', 'REJECTED'), between('link-0000new1', PENDING));
    const { response } = await deployAs('source', invitation({ TargetAccountId: TARGET }));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'adopted:link-0000new1', Data: { AccountLinkId: 'link-0000new1' } });
  });

  test('accepting by a source whose only links are REJECTED fails, saying there is no pending invitation', async () => {
    await serve(between('link-0000old1', 'REJECTED'));
    const { response } = await deployAs('target', acceptance({ SourceAccountId: SOURCE }));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe(`account ${SOURCE} has no pending invitation to this account (ListAccountLinks found none that is ${PENDING} or LINKED)`);
  });
});

describe('9. Delete is idempotent and deletes only what the resource created', () => {
  test('a link deleted between the read and the Delete (ResourceNotFoundException): SUCCESS', async () => {
    await serve(between('link-0000own1', PENDING));
    const endpoint = await ScriptedEndpoint.start(cloud.emulator.endpoint, (operation, input) => operation === 'DeleteAccountLinkInvitation'
      ? { status: 400, body: { __type: 'ResourceNotFoundException', message: 'The resource could not be found.', ResourceId: input.LinkId } }
      : undefined);
    try {
      const { response, log } = await deployAs('source', deleteInvitation({ TargetAccountId: TARGET }, 'link-0000own1'), { workspacesEndpoint: endpoint.url });

      expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'link-0000own1' });
      expect(log.note).toBe('link link-0000own1 no longer exists');
    } finally {
      await endpoint.close();
    }
  });

  test('the Delete delivered twice: the second finds the link gone and succeeds too', async () => {
    const { response: created } = await deployAs('source', invitation({ TargetAccountId: TARGET }));
    const event = deleteInvitation({ TargetAccountId: TARGET }, created.PhysicalResourceId);

    const first = await deployAs('source', event);
    const second = await deployAs('source', event);

    expect([first.response.Status, second.response.Status]).toEqual(['SUCCESS', 'SUCCESS']);
    expect(cloud.emulator.callsTo('DeleteAccountLinkInvitation')).toHaveLength(1);
  });

  test('two resources inviting the same target: the second adopts, and its Delete leaves the first one\'s invitation', async () => {
    const { response: first } = await deployAs('source', invitation({ TargetAccountId: TARGET }, 'First'));
    const { response: second, log } = await deployAs('source', invitation({ TargetAccountId: TARGET }, 'Second'));
    expect(second.PhysicalResourceId).toBe(`adopted:${first.PhysicalResourceId}`);
    expect(log.note).toMatch(/^adopted existing link .*; Delete leaves it in place$/);

    const { response, log: deleted } = await deployAs('source', deleteInvitation({ TargetAccountId: TARGET }, second.PhysicalResourceId, 'Second'));

    expect(response.Status).toBe('SUCCESS');
    expect(deleted.note).toBe(`left the adopted link ${first.PhysicalResourceId} in place: this resource did not create it`);
    expect(cloud.emulator.callsTo('DeleteAccountLinkInvitation')).toHaveLength(0);
  });
});

describe('10. no orphan on rollback', () => {
  test('a Create whose answer comes after the deadline: the rollback\'s Delete finds the invitation by its token and removes it', async () => {
    const endpoint = await ScriptedEndpoint.start(cloud.emulator.endpoint,
      (operation) => (operation === 'CreateAccountLinkInvitation' ? { forwardAfterMs: 3_000 } : undefined));
    try {
      const create = invitation({ TargetAccountId: TARGET });
      // 1 s to work in: the service creates the invitation, its answer comes too late.
      const failed = await deployAs('source', create, { workspacesEndpoint: endpoint.url, remainingMs: RESPONSE_RESERVE_MS + HANDOVER_RESERVE_MS + 1_000 });
      expect(failed.response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: `unconfirmed:${create.RequestId}` });
      const created = cloud.emulator.callsTo('CreateAccountLinkInvitation');
      expect(created.length).toBeGreaterThanOrEqual(1);

      const { response, log } = await deployAs('source', deleteInvitation({ TargetAccountId: TARGET }, failed.response.PhysicalResourceId));

      expect(response.Status).toBe('SUCCESS');
      expect(log.note).toMatch(/^deleted the PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT invitation link-/);
      // The token of the failed request found the invitation it had created: nothing is left.
      expect(new Set(cloud.emulator.callsTo('CreateAccountLinkInvitation').map((r) => r.input.ClientToken)).size).toBe(1);
      const listed = await deployAs('source', cloud.createEvent({}, ResourceType.ACCOUNT_LINKS, 'Links'));
      expect(listed.response.Data).toMatchObject({ Count: '0' });
    } finally {
      await endpoint.close();
    }
  });
});

describe('11. Update', () => {
  test('a new AssumeRoleArn is a new invitation from the new account; the old one is deleted with the old properties', async () => {
    const { response: created } = await deployAs('source', invitation({ TargetAccountId: TARGET }));
    const oldProps = { TargetAccountId: TARGET };
    const newProps = { TargetAccountId: TARGET, AssumeRoleArn: OTHER_ROLE };

    const { response: updated } = await deployAs('source', updateEvent(newProps, oldProps, created.PhysicalResourceId, urlOptions(ResourceType.INVITATION, 'Invitation')));
    expect(updated).toMatchObject({ Status: 'SUCCESS', Data: { SourceAccountId: OTHER_SOURCE, TargetAccountId: TARGET } });
    expect(updated.PhysicalResourceId).not.toBe(created.PhysicalResourceId);

    // CloudFormation's clean-up: Delete of the old physical id, with the old properties.
    const { response } = await deployAs('source', deleteInvitation(oldProps, created.PhysicalResourceId));
    expect(response.Status).toBe('SUCCESS');
    expect(cloud.emulator.callsTo('DeleteAccountLinkInvitation').map((r) => [r.input.LinkId, r.accessKeyId])).toEqual([[created.PhysicalResourceId, KEYS.source]]);
  });

  test('a failed Update keeps the resource\'s physical id (an AccountLinks Update whose answer does not fit)', async () => {
    await serve(...Array.from({ length: 120 }, (_, i) => between(`link-${String(i).padStart(8, '0')}`, 'LINKED', SOURCE, String(100000000000 + i))));
    const event = updateEvent({}, { LinkStatusFilter: ['REJECTED'] }, 'LinkStatusFilter=REJECTED', urlOptions(ResourceType.ACCOUNT_LINKS, 'Links'));
    const { response } = await deployAs('source', event);

    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'LinkStatusFilter=REJECTED' });
  });
});

describe('12. direction', () => {
  test('inviting an account that already invited this one does not adopt its invitation', async () => {
    await serve(between('link-0000back', PENDING, TARGET, SOURCE));
    const { response } = await deployAs('source', invitation({ TargetAccountId: TARGET }));

    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: response.RequestId });
    expect(response.Reason).toBe(`CreateAccountLinkInvitation for account ${TARGET} failed: ConflictException: account ${TARGET} already invited this account `
      + `(link link-0000back, ${PENDING}); a link in that direction cannot be adopted: accept it with an AccountLinkAcceptance in this account, or delete it in account ${TARGET}`);
    expect(cloud.emulator.callsTo('DeleteAccountLinkInvitation')).toHaveLength(0);
  });
});
