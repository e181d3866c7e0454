import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { HANDOVER_RESERVE_MS, RESPONSE_RESERVE_MS } from '../../lambda/time-budget';
import { deleteEvent } from '../../local-aws/cloudformation/events';
import { SIGNATURE } from '../../local-aws/response-server';
import { ResourceType } from '../../src/contract';
import { link } from '../support/links';
import { LocalCloud } from '../support/local-cloud';

const cloud = LocalCloud.use(() => ({ links: Array.from({ length: 120 }, (_, i) => link(i + 1, 'LINKED')) }));
const respond = (event: CloudFormationCustomResourceEvent, remainingMs?: number) => cloud.respond(event, { remainingMs });
const linkEvent = (props: Record<string, unknown>) => cloud.createEvent(props);

describe('API faults', () => {
  test.each(['InternalServerException', 'ThrottlingException'])('%s twice, then success: SUCCESS after 3 attempts', async (type) => {
    cloud.emulator.injectFaults({ type }, { type });
    const { response } = await respond(linkEvent({ LinkId: 'link-00000001' }));

    expect(response.Status).toBe('SUCCESS');
    expect(cloud.emulator.callsTo('GetAccountLink')).toHaveLength(3);
  });

  test('persistent InternalServerException: FAILED after a bounded number of attempts', async () => {
    cloud.emulator.injectFaults(...Array(10).fill({ type: 'InternalServerException', message: 'We encountered an internal error.' }));
    const { response } = await respond(linkEvent({ LinkId: 'link-00000001' }));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe('GetAccountLink for link link-00000001 failed: InternalServerException: We encountered an internal error.');
    expect(cloud.emulator.callsTo('GetAccountLink')).toHaveLength(4);
  });

  test('AccessDenied is not retried', async () => {
    cloud.emulator.injectFaults({ type: 'AccessDeniedException', message: 'not authorized' });
    const { response } = await respond(linkEvent({ LinkId: 'link-00000001' }));

    expect(response.Status).toBe('FAILED');
    expect(cloud.emulator.callsTo('GetAccountLink')).toHaveLength(1);
  });

  test('a long API message is cut: the Reason is one line of at most 1 KB', async () => {
    cloud.emulator.injectFaults({ type: 'AccessDeniedException', message: 'denied\n'.repeat(1000) });
    const { response } = await respond(linkEvent({ LinkId: 'link-00000001' }));

    expect(response.Status).toBe('FAILED');
    expect(Buffer.byteLength(response.Reason!)).toBeLessThanOrEqual(1024);
    expect(response.Reason).not.toContain('\n');
    expect(response.Reason).toMatch(/^GetAccountLink for link link-00000001 failed: AccessDeniedException: denied denied .*\.\.\.$/);
  });
});

describe('deadline guard', () => {
  test('a slow endpoint near the timeout gets a FAILED answer while time is left', async () => {
    cloud.emulator.setDelay(20_000);
    // 1.5 s of the invocation are the lookup's; the rest is what the budget keeps to answer or hand over.
    const remainingMs = RESPONSE_RESERVE_MS + HANDOVER_RESERVE_MS + 1_500;
    const { response, invocation } = await respond(linkEvent({ LinkId: 'link-00000001' }), remainingMs);

    expect(response.Status).toBe('FAILED');
    // It names the call it cut off, and its service.
    expect(response.Reason).toMatch(
      /^the lookup did not finish within \d+ s, before the function's timeout: WorkSpaces GetAccountLink for link link-00000001 was still in flight$/);
    expect(invocation.durationMs).toBeLessThan(remainingMs);
  });
});

describe('response delivery', () => {
  test('the response PUT is retried after two 503 answers', async () => {
    cloud.responses.failNext(2);
    const { response, log } = await respond(linkEvent({ LinkId: 'link-00000001' }));

    expect(response.Status).toBe('SUCCESS');
    expect(cloud.responses.rejected).toBe(2);
    expect(log).toMatchObject({ responseAttempts: 3 });
    expect(log.responseError).toBeUndefined();
  });

  test('the PUT is signed for an empty content type', async () => {
    const { raw } = await respond(linkEvent({ LinkId: 'link-00000001' }));
    expect(raw.contentType).toBe('');
  });

  test('120 links do not fit in 4096 bytes: FAILED saying how many matched and what to do', async () => {
    const event = cloud.createEvent({}, ResourceType.ACCOUNT_LINKS);
    const { response, raw } = await respond(event);

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/^120 account links make a \d+-byte response, over CloudFormation's 4096-byte limit .*set statusFilter\)$/);
    expect(raw.rawBytes).toBeLessThan(4096);
    expect(cloud.emulator.callsTo('ListAccountLinks')).toHaveLength(5);
  });
});

describe('malformed events', () => {
  test.each([
    ['no lookup property', ResourceType.ACCOUNT_LINK, {}, 'exactly one of LinkId and LinkedAccountId is required'],
    ['both lookup properties', ResourceType.ACCOUNT_LINK, { LinkId: 'link-00000001', LinkedAccountId: '100000000001' },
      'exactly one of LinkId and LinkedAccountId is required'],
    ['an unknown property', ResourceType.ACCOUNT_LINK, { LinkId: 'link-00000001', Colour: 'blue' },
      'unknown properties Colour; expected AssumeRoleArn, ExternalId, Region, LinkId, LinkedAccountId, RequiredStatus, WaitTimeoutSeconds, PollIntervalSeconds, ReadNonce'],
    ['a LinkId that is not a string', ResourceType.ACCOUNT_LINK, { LinkId: ['link-00000001'] }, 'LinkId must be a string, got ["link-00000001"]'],
    ['an unknown RequiredStatus', ResourceType.ACCOUNT_LINK, { LinkId: 'link-00000001', RequiredStatus: 'ACTIVE' },
      'RequiredStatus "ACTIVE" is not one of LINKED, LINKING_FAILED, LINK_NOT_FOUND, PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT, REJECTED'],
    ['a wait that is not whole seconds', ResourceType.ACCOUNT_LINK, { LinkId: 'link-00000001', RequiredStatus: 'LINKED', WaitTimeoutSeconds: 'soon' },
      'WaitTimeoutSeconds must be a whole number of seconds, got "soon"'],
    ['a wait without RequiredStatus', ResourceType.ACCOUNT_LINK, { LinkId: 'link-00000001', WaitTimeoutSeconds: '60' },
      'WaitTimeoutSeconds needs RequiredStatus'],
    ['a filter that is not a list', ResourceType.ACCOUNT_LINKS, { LinkStatusFilter: 'LINKED' }, 'LinkStatusFilter must be a list of statuses'],
    ['an unknown resource type', 'Custom::Other', { LinkId: 'link-00000001' },
      'unsupported resource type "Custom::Other"; expected Custom::WorkSpacesAccountLink or Custom::WorkSpacesAccountLinks or '
      + 'Custom::WorkSpacesAccountLinkInvitation or Custom::WorkSpacesAccountLinkAcceptance or Custom::WorkSpacesAccountLinkTargets'],
  ])('%s: FAILED with a reason, no API call', async (_name, resourceType, props, reason) => {
    const { response } = await respond(cloud.createEvent(props, resourceType));

    expect(response).toMatchObject({ Status: 'FAILED', Reason: reason });
    expect(cloud.emulator.requests).toHaveLength(0);
  });

  test.each([ResourceType.ACCOUNT_LINK, ResourceType.ACCOUNT_LINKS, ResourceType.INVITATION, ResourceType.ACCEPTANCE])(
    'ResourceProperties that are a string (%s): FAILED saying so, not "unknown properties 0, 1, 2, ..."', async (resourceType) => {
      const event = { ...cloud.createEvent({}, resourceType), ResourceProperties: 'link-00000001' } as unknown as CloudFormationCustomResourceEvent;
      const { response } = await respond(event);

      expect(response).toMatchObject({ Status: 'FAILED', Reason: 'ResourceProperties must be an object, got a string' });
      expect(cloud.emulator.requests).toHaveLength(0);
    });

  test('an unknown RequestType: FAILED with a reason', async () => {
    const event = { ...linkEvent({ LinkId: 'link-00000001' }), RequestType: 'Refresh' } as unknown as CloudFormationCustomResourceEvent;
    const { response } = await respond(event);

    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'unknown RequestType "Refresh"' });
  });

  test('Delete of a resource whose Create failed (garbage properties): SUCCESS, no API call', async () => {
    const event = deleteEvent({ LinkId: 42, Colour: 'blue' }, 'request-1', { responseUrl: cloud.responses.url() });
    const { response } = await respond(event);

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'request-1' });
    expect(cloud.emulator.requests).toHaveLength(0);
  });

  test('no log line holds the pre-signed response URL, even on failure paths', async () => {
    cloud.responses.failNext(1);
    cloud.emulator.injectFaults({ type: 'AccessDeniedException' });
    const { invocation } = await respond(linkEvent({ LinkId: 'link-00000001' }));

    expect(invocation.logs.join('\n')).not.toContain(SIGNATURE);
    expect(invocation.logs.join('\n')).not.toContain('X-Amz-Signature');
  });
});
