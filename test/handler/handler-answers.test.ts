import { MAX_LIST_PAGES } from '../../core/account-link-api';
import { ResourceType } from '../../src/contract';
import { link } from '../support/links';
import { LocalCloud } from '../support/local-cloud';
import { Script, ScriptedEndpoint } from '../support/scripted-endpoint';

// Answers stay whole and small whatever the endpoint answers: listings that never end,
// values no service model allows, control characters.

const cloud = LocalCloud.use(() => ({ links: [link(1, 'LINKED')] }));

async function respondThrough(script: Script, event = cloud.createEvent({}, ResourceType.ACCOUNT_LINKS)) {
  const endpoint = await ScriptedEndpoint.start(cloud.emulator.endpoint, script);
  try {
    const answer = await cloud.respond(event, { workspacesEndpoint: endpoint.url });
    return { ...answer, operations: endpoint.operations };
  } finally {
    await endpoint.close();
  }
}

const page = (links: object[], NextToken?: string) => ({ body: { AccountLinks: links, ...(NextToken ? { NextToken } : {}) } });
const apiLink = (n: number) => ({ AccountLinkId: `link-${String(n).padStart(8, '0')}`, AccountLinkStatus: 'LINKED', SourceAccountId: '111122223333', TargetAccountId: String(100000000000 + n) });

describe('13. listings that never end', () => {
  test('a NextToken answered twice: FAILED with a reason, not duplicated partial data', async () => {
    let calls = 0;
    const { response, operations } = await respondThrough(() => page([apiLink(++calls)], 'same-token'));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe('ListAccountLinks failed after 2 links: page 2 answered a NextToken it had answered before: the listing would never end');
    expect(operations).toEqual(['ListAccountLinks', 'ListAccountLinks']);
  });

  test('endless empty pages: FAILED after a bounded number of pages', async () => {
    let calls = 0;
    const { response, operations } = await respondThrough(() => page([], `token-${++calls}`));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe(`ListAccountLinks failed after 0 links: the listing did not end after ${MAX_LIST_PAGES} pages, more than a 4096-byte response could ever hold`);
    expect(operations).toHaveLength(MAX_LIST_PAGES);
    expect(MAX_LIST_PAGES).toBeLessThan(100);
  });
});

describe('15. bounded, string-valued answers', () => {
  test('a 10,000-entry status filter: the physical id names each status once', async () => {
    const filter = Array.from({ length: 10_000 }, (_, i) => (i % 2 ? 'LINKED' : 'REJECTED'));
    const { response, raw } = await cloud.respond(cloud.createEvent({ LinkStatusFilter: filter }, ResourceType.ACCOUNT_LINKS));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'LinkStatusFilter=LINKED|REJECTED' });
    expect(raw.rawBytes).toBeLessThan(4096);
  });

  test('a 100 KB link id from the endpoint: FAILED with a short reason, the answer under 4096 bytes', async () => {
    const { response, raw } = await respondThrough(
      (operation) => (operation === 'CreateAccountLinkInvitation' ? { body: { AccountLink: { ...apiLink(1), AccountLinkId: `link-${'x'.repeat(100_000)}` } } } : undefined),
      cloud.createEvent({ TargetAccountId: '444455556666' }, ResourceType.INVITATION, 'Invitation'));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/the API answered an AccountLink whose AccountLinkId "link-x+"\.\.\. \(100005 characters\) does not match/);
    expect(raw.rawBytes).toBeLessThan(4096);
  });

  test.each([
    ['a number', 42],
    ['a list', ['LINKED']],
  ])('a status that is %s: FAILED, never a non-string attribute', async (_name, value) => {
    const { response } = await respondThrough(
      (operation) => (operation === 'GetAccountLink' ? { body: { AccountLink: { ...apiLink(1), AccountLinkStatus: value } } } : undefined),
      cloud.createEvent({ LinkId: 'link-00000001' }));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('AccountLinkStatus');
    expect(response.Data).toBeUndefined();
  });

  test('control characters in an API message never reach the Reason', async () => {
    const message = 'denied\u0000\u0007\u001b[31m red\u007f\u0085 end';
    const { response } = await respondThrough(
      () => ({ status: 400, body: { __type: 'AccessDeniedException', message } }),
      cloud.createEvent({ LinkId: 'link-00000001' }));

    expect(response.Status).toBe('FAILED');
    // eslint-disable-next-line no-control-regex
    expect(response.Reason).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(response.Reason).toBe('GetAccountLink for link link-00000001 failed: AccessDeniedException: denied [31m red end');
  });
});
