import { AccountLinksEmulator } from '../../src/emulator/emulator';
import { link } from '../support/links';

let emulator: AccountLinksEmulator;

beforeEach(async () => {
  emulator = await AccountLinksEmulator.start({
    links: [
      link(1, 'LINKED'),
      { ...link(2, 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT'), StatusSequence: ['PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT', 'LINKED'] },
      link(3, 'REJECTED'),
    ],
  });
});
afterEach(async () => {
  await emulator.close();
});

/** A raw JSON 1.1 call, as the SDK sends it. */
async function call(operation: string, body: unknown, target = `WorkspacesService.${operation}`) {
  const res = await fetch(emulator.endpoint + '/', {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
    body: JSON.stringify(body),
  });
  return { status: res.status, contentType: res.headers.get('content-type'), body: await res.json() as any };
}

describe('AccountLinksEmulator wire protocol', () => {
  test('GetAccountLink answers the link in the API shape', async () => {
    expect(await call('GetAccountLink', { LinkId: 'link-00000001' })).toEqual({
      status: 200,
      contentType: 'application/x-amz-json-1.1',
      body: { AccountLink: { AccountLinkId: 'link-00000001', AccountLinkStatus: 'LINKED', SourceAccountId: '111122223333', TargetAccountId: '100000000001' } },
    });
  });

  test('a missing link is a ResourceNotFoundException with ResourceId, HTTP 400', async () => {
    expect(await call('GetAccountLink', { LinkedAccountId: '999999999999' })).toMatchObject({
      status: 400,
      body: { __type: 'ResourceNotFoundException', ResourceId: '999999999999' },
    });
  });

  test.each([
    ['GetAccountLink', { LinkId: 'link-1' }, /LinkId "link-1" does not match/],
    ['GetAccountLink', { LinkedAccountId: '12345' }, /LinkedAccountId "12345" does not match/],
    ['GetAccountLink', {}, /either LinkId or LinkedAccountId is required/],
    ['ListAccountLinks', { MaxResults: 0 }, /MaxResults 0 must be an integer from 1 to 25/],
    ['ListAccountLinks', { MaxResults: 26 }, /MaxResults 26 must be an integer from 1 to 25/],
    ['ListAccountLinks', { NextToken: 'forged' }, /NextToken "forged" is not valid/],
    ['ListAccountLinks', { LinkStatusFilter: ['ACTIVE'] }, /LinkStatusFilter \["ACTIVE"\] must hold only/],
  ])('%s %j is a ValidationException', async (operation, input, message) => {
    const { status, body } = await call(operation, input);
    expect(status).toBe(400);
    expect(body.__type).toBe('ValidationException');
    expect(body.message).toMatch(message);
  });

  test('an unknown operation is rejected', async () => {
    const { status, body } = await call('DeleteWorkspaces', {});
    expect(status).toBe(400);
    expect(body.__type).toBe('UnknownOperationException');
  });

  test('ListAccountLinks paginates with NextToken and filters by status', async () => {
    const first = await call('ListAccountLinks', { MaxResults: 2 });
    expect(first.body.AccountLinks.map((l: any) => l.AccountLinkId)).toEqual(['link-00000001', 'link-00000002']);
    const second = await call('ListAccountLinks', { MaxResults: 2, NextToken: first.body.NextToken });
    expect(second.body).toEqual({ AccountLinks: [expect.objectContaining({ AccountLinkId: 'link-00000003' })] });

    const rejected = await call('ListAccountLinks', { LinkStatusFilter: ['REJECTED'] });
    expect(rejected.body.AccountLinks.map((l: any) => l.AccountLinkId)).toEqual(['link-00000003']);
  });

  test('a status sequence moves on with each read and keeps its last status', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await call('GetAccountLink', { LinkId: 'link-00000002' })).body.AccountLink.AccountLinkStatus);
    }
    expect(statuses).toEqual(['PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT', 'LINKED', 'LINKED']);
  });

  test('injected faults answer the next requests, then service resumes', async () => {
    emulator.injectFaults({ type: 'InternalServerException' }, { type: 'ThrottlingException' });
    expect((await call('GetAccountLink', { LinkId: 'link-00000001' })).body.__type).toBe('InternalServerException');
    expect((await call('GetAccountLink', { LinkId: 'link-00000001' })).body.__type).toBe('ThrottlingException');
    expect((await call('GetAccountLink', { LinkId: 'link-00000001' })).status).toBe(200);
  });

  test('seeded links are checked against the service model', async () => {
    await expect(AccountLinksEmulator.start({ links: [{ ...link(1, 'LINKED'), AccountLinkId: 'bad' }] }))
      .rejects.toThrow(/links\[0\]: AccountLinkId "bad" does not match/);
    await expect(AccountLinksEmulator.start({ links: [link(1, 'ACTIVE')] }))
      .rejects.toThrow(/links\[0\]: unknown status "ACTIVE"/);
  });
});

describe('a request-rate limit', () => {
  test('a burst passes, then about the rate: the rest are answered ThrottlingException (HTTP 400) and counted', async () => {
    const limited = await AccountLinksEmulator.start({ links: [], rateLimit: { perSecond: 10, burst: 3 } });
    try {
      const list = () => fetch(limited.endpoint, {
        method: 'POST', headers: { 'x-amz-target': 'WorkspacesService.ListAccountLinks' }, body: '{}',
      }).then(async (res) => `${res.status} ${((await res.json()) as any).__type ?? 'ok'}`);
      const burst = await Promise.all(Array.from({ length: 5 }, list));
      expect(burst.sort()).toEqual(['200 ok', '200 ok', '200 ok', '400 ThrottlingException', '400 ThrottlingException']);
      expect(limited.throttled).toBe(2);
      // 10 a second: a token is back after 100 ms.
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await list()).toBe('200 ok');
    } finally {
      await limited.close();
    }
  });

  test('a limit that admits nothing is refused', async () => {
    await expect(AccountLinksEmulator.start({ links: [], rateLimit: { perSecond: 0, burst: 1 } })).rejects.toThrow(/needs perSecond > 0 and burst >= 1/);
  });
});
