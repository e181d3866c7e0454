import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { invokeBundledHandler } from '../../local-aws/bundled-handler';
import { deleteEvent, updateEvent } from '../../local-aws/cloudformation/events';
import { SIGNATURE } from '../../local-aws/response-server';
import { ResourceType } from '../../src/contract';
import { link, SOURCE_ACCOUNT, TARGET_ACCOUNT } from '../support/links';
import { LocalCloud } from '../support/local-cloud';

// 60 links: every third one is pending, the rest linked.
const MANY = Array.from({ length: 60 }, (_, i) => link(100 + i, i % 3 === 0 ? 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT' : 'LINKED'));
const LINKED = link(1, 'LINKED', TARGET_ACCOUNT);

const cloud = LocalCloud.use(() => ({ links: [LINKED, ...MANY] }));

async function respond(event: CloudFormationCustomResourceEvent) {
  const { response, invocation } = await cloud.respond(event);
  return { response, logs: invocation.logs, records: invocation.records };
}

const linkEvent = (props: Record<string, unknown>) => cloud.createEvent(props);
const listEvent = (props: Record<string, unknown>) => cloud.createEvent(props, ResourceType.ACCOUNT_LINKS, 'Links');

describe('Create of Custom::WorkSpacesAccountLink', () => {
  test('by link id answers SUCCESS with the link as attributes', async () => {
    const event = linkEvent({ LinkId: 'link-00000001' });
    const { response } = await respond(event);

    expect(response).toEqual({
      Status: 'SUCCESS',
      PhysicalResourceId: 'LinkId=link-00000001',
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      Data: {
        AccountLinkId: 'link-00000001',
        AccountLinkStatus: 'LINKED',
        SourceAccountId: SOURCE_ACCOUNT,
        TargetAccountId: TARGET_ACCOUNT,
      },
    });
    expect(cloud.emulator.callsTo('GetAccountLink').map((r) => r.input)).toEqual([{ LinkId: 'link-00000001' }]);
    // The real SDK signed the call with the environment's credentials.
    expect(cloud.emulator.requests[0].accessKeyId).toBe('AKIDTESTHANDLER');
  });

  test('by linked account id finds the link and keys the physical id on the account', async () => {
    const { response } = await respond(linkEvent({ LinkedAccountId: TARGET_ACCOUNT }));

    expect(response.Status).toBe('SUCCESS');
    expect(response.PhysicalResourceId).toBe(`LinkedAccountId=${TARGET_ACCOUNT}`);
    expect(response.Data?.AccountLinkId).toBe('link-00000001');
    expect(cloud.emulator.callsTo('GetAccountLink').map((r) => r.input)).toEqual([{ LinkedAccountId: TARGET_ACCOUNT }]);
  });

  test('a link that does not exist answers FAILED naming the link and the API error', async () => {
    const { response } = await respond(linkEvent({ LinkId: 'link-99999999' }));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe(
      'GetAccountLink for link link-99999999 failed: ResourceNotFoundException: The resource could not be found. (ResourceId link-99999999)');
    expect(response.PhysicalResourceId).toBeTruthy();
  });

  test('access denied answers FAILED with the API error on one line', async () => {
    cloud.emulator.injectFaults({ type: 'AccessDeniedException', message: 'User is not authorized\nto perform workspaces:GetAccountLink' });
    const { response } = await respond(linkEvent({ LinkId: 'link-00000001' }));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe(
      'GetAccountLink for link link-00000001 failed: AccessDeniedException: User is not authorized to perform workspaces:GetAccountLink');
  });

  test('a LinkId that resolved to a bad value answers FAILED without calling the API', async () => {
    const { response } = await respond(linkEvent({ LinkId: 'lnk-123' }));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe('LinkId "lnk-123" does not match ^link-.{8,24}$');
    expect(cloud.emulator.requests).toHaveLength(0);
  });

  test('the log line is structured and never holds the response URL', async () => {
    const { logs, records } = await respond(linkEvent({ LinkId: 'link-00000001' }));

    expect(logs).toHaveLength(1);
    // Under Lambda's JSON log format, the line's message is an object, not a string of JSON.
    expect(records).toEqual([expect.objectContaining({
      level: 'INFO',
      message: expect.objectContaining({
        requestType: 'Create', resourceType: ResourceType.ACCOUNT_LINK, outcome: 'SUCCESS', apiCalls: 1, responseAttempts: 1,
      }),
    })]);
    expect(logs.join('\n')).not.toContain(SIGNATURE);
  });

  test('a log level of WARN still shows every failure, at ERROR, and hides the successes', async () => {
    const warnOnly = { env: { AWS_LAMBDA_LOG_LEVEL: 'WARN' } };
    const failed = await cloud.invoke(linkEvent({ LinkId: 'link-99999999' }), warnOnly);
    const succeeded = await invokeBundledHandler(linkEvent({ LinkId: 'link-00000001' }), { workspacesEndpoint: cloud.emulator.endpoint, ...warnOnly });

    expect(failed.invocation.records).toEqual([expect.objectContaining({
      level: 'ERROR', message: expect.objectContaining({ outcome: 'FAILED', reason: expect.stringContaining('ResourceNotFoundException') }),
    })]);
    expect(failed.invocation.logs.join('\n')).not.toContain(SIGNATURE);
    expect({ exitCode: succeeded.exitCode, logs: succeeded.logs }).toEqual({ exitCode: 0, logs: [] });
    expect(cloud.responses.responses.map((r) => r.body.Status)).toEqual(['FAILED', 'SUCCESS']);
  });
});

describe('Update and Delete', () => {
  test('Update to another link answers the new link and a new physical id', async () => {
    const event = updateEvent({ LinkId: 'link-00000100' }, { LinkId: 'link-00000001' }, 'LinkId=link-00000001', { responseUrl: cloud.responses.url() });
    const { response } = await respond(event);

    expect(response.Status).toBe('SUCCESS');
    expect(response.PhysicalResourceId).toBe('LinkId=link-00000100');
    expect(response.Data?.AccountLinkId).toBe('link-00000100');
  });

  test('a failed Update keeps the physical id it had', async () => {
    const event = updateEvent({ LinkId: 'link-99999999' }, { LinkId: 'link-00000001' }, 'LinkId=link-00000001', { responseUrl: cloud.responses.url() });
    const { response } = await respond(event);

    expect(response.Status).toBe('FAILED');
    expect(response.PhysicalResourceId).toBe('LinkId=link-00000001');
  });

  test('Delete answers SUCCESS with its physical id and calls no API', async () => {
    const { response } = await respond(deleteEvent({ LinkId: 'link-00000001' }, 'LinkId=link-00000001', { responseUrl: cloud.responses.url() }));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'LinkId=link-00000001' });
    expect(cloud.emulator.requests).toHaveLength(0);
  });
});

describe('Create of Custom::WorkSpacesAccountLinks', () => {
  test('reads every page and filters by status', async () => {
    const { response } = await respond(listEvent({ LinkStatusFilter: ['PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT'] }));

    const pending = MANY.filter((l) => l.AccountLinkStatus === 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT');
    expect(response.Status).toBe('SUCCESS');
    expect(response.Data?.Count).toBe(String(pending.length));
    expect(response.Data?.AccountLinkIds).toBe(pending.map((l) => l.AccountLinkId).join(','));
    expect(cloud.emulator.callsTo('ListAccountLinks').map((r) => r.input.MaxResults)).toEqual([25]);
  });

  test('60 matching links take 3 pages, in the API order, aligned by index', async () => {
    await cloud.reseed({ links: MANY.map((l) => ({ ...l, AccountLinkStatus: 'LINKED' })) });
    const { response } = await respond(listEvent({ LinkStatusFilter: ['LINKED'] }));

    const calls = cloud.emulator.callsTo('ListAccountLinks');
    expect(calls).toHaveLength(3);
    expect(calls[0].input).toEqual({ LinkStatusFilter: ['LINKED'], MaxResults: 25 });
    expect(calls[1].input.NextToken).toEqual(expect.any(String));
    expect(response.Status).toBe('SUCCESS');
    expect(response.Data?.Count).toBe('60');
    const ids = response.Data!.AccountLinkIds.split(',');
    const targets = response.Data!.TargetAccountIds.split(',');
    expect(ids).toEqual(MANY.map((l) => l.AccountLinkId));
    expect(targets).toEqual(MANY.map((l) => l.TargetAccountId));
    expect(response.Data!.AccountLinkStatuses.split(',')).toEqual(Array(60).fill('LINKED'));
    expect(response.PhysicalResourceId).toBe('LinkStatusFilter=LINKED');
  });

  test('no filter and no link gives a count of 0', async () => {
    await cloud.reseed({ links: [] });
    const { response } = await respond(listEvent({}));

    expect(response.Status).toBe('SUCCESS');
    expect(response.Data).toEqual({ Count: '0', AccountLinkIds: '', AccountLinkStatuses: '', SourceAccountIds: '', TargetAccountIds: '' });
    expect(response.PhysicalResourceId).toBe('LinkStatusFilter=*');
  });

  test('an unknown status in the filter answers FAILED without calling the API', async () => {
    const { response } = await respond(listEvent({ LinkStatusFilter: ['LINKED', 'ACTIVE'] }));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('LinkStatusFilter has unknown status "ACTIVE"');
    expect(cloud.emulator.requests).toHaveLength(0);
  });
});

