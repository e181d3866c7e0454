import { ListAccountsForParentCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { changeOrganization } from '../../src/emulator/control-client';
import { AccountLinksEmulator } from '../../src/emulator/emulator';
import { EmulatedOrganization } from '../../src/emulator/organization';

const UNIT = 'ou-ab12-engineer';
const CHILD = 'ou-ab12-platform';
const ORGANIZATION: EmulatedOrganization = {
  OrganizationalUnits: [
    { Id: UNIT, Accounts: ['300000000001', '300000000002'] },
    { Id: CHILD, ParentId: UNIT, Accounts: ['300000000101'] },
  ],
};

let emulator: AccountLinksEmulator;
afterEach(async () => emulator?.close());

/** POST /_emulator/organization with `body` as it is (a string) or as JSON. */
async function control(body: unknown, options: { method?: string; path?: string } = {}) {
  const res = await fetch(`${emulator.endpoint}${options.path ?? '/_emulator/organization'}`, {
    method: options.method ?? 'POST',
    headers: { 'content-type': 'application/json' },
    ...(options.method === 'GET' ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.json() as any };
}

/** The accounts of a unit as Organizations lists them to the SDK's own client. */
async function listed(parentId: string): Promise<string[]> {
  const client = new OrganizationsClient({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
  const { Accounts } = await client.send(new ListAccountsForParentCommand({ ParentId: parentId }));
  return Accounts!.map((a) => `${a.Id}:${a.State}`);
}

test('POST /_emulator/organization changes the organization Organizations serves: accounts join, move, are suspended and leave; units come and go', async () => {
  emulator = await AccountLinksEmulator.start({ links: [], organization: ORGANIZATION });

  expect(await control({ action: 'addAccount', accountId: '300000000003', parentId: UNIT })).toEqual({
    status: 200, type: 'application/json', body: { action: 'addAccount', accountId: '300000000003', parentId: UNIT },
  });
  expect(await listed(UNIT)).toEqual(['300000000001:ACTIVE', '300000000002:ACTIVE', '300000000003:ACTIVE']);
  // Without a parent, an account joins the root.
  expect((await control({ action: 'addAccount', accountId: '300000000009' })).body).toEqual({ action: 'addAccount', accountId: '300000000009', parentId: 'r-ab12' });

  expect((await control({ action: 'moveAccount', accountId: '300000000101', parentId: UNIT })).body).toEqual({ action: 'moveAccount', accountId: '300000000101', parentId: UNIT });
  expect(await listed(CHILD)).toEqual([]);
  expect(await listed(UNIT)).toEqual(['300000000001:ACTIVE', '300000000002:ACTIVE', '300000000003:ACTIVE', '300000000101:ACTIVE']);

  await control({ action: 'setAccountState', accountId: '300000000002', state: 'SUSPENDED' });
  expect((await control({ action: 'removeAccount', accountId: '300000000001' })).body).toEqual({ action: 'removeAccount', accountId: '300000000001', parentId: null });
  expect(await listed(UNIT)).toEqual(['300000000002:SUSPENDED', '300000000003:ACTIVE', '300000000101:ACTIVE']);

  expect((await control({ action: 'deleteUnit', unitId: CHILD })).body).toEqual({ action: 'deleteUnit', unitId: CHILD, parentId: null });
  await expect(listed(CHILD)).rejects.toMatchObject({ name: 'ParentNotFoundException' });
  expect((await control({ action: 'addUnit', unitId: 'ou-ab12-newunit1', parentId: UNIT })).body).toEqual({ action: 'addUnit', unitId: 'ou-ab12-newunit1', parentId: UNIT });
  await control({ action: 'addAccount', accountId: '300000000201', parentId: 'ou-ab12-newunit1', state: 'SUSPENDED' });
  expect(await listed('ou-ab12-newunit1')).toEqual(['300000000201:SUSPENDED']);
  // The control calls are the emulator's own: no WorkSpaces or Organizations request is recorded for them.
  expect(emulator.requests.map((r) => r.operation)).toEqual(Array(6).fill('ListAccountsForParent'));
});

test.each([
  ['not JSON', '{"action": ', /^the body must be JSON: \{ "action": "addAccount" \| "moveAccount" \|/],
  ['not an object', '["addAccount"]', /^the body must be a JSON object$/],
  ['an unknown action', { action: 'closeAccount', accountId: '300000000001' }, /^"action" must be one of addAccount, moveAccount, removeAccount, setAccountState, addUnit, deleteUnit, got "closeAccount"$/],
  ['no action', { accountId: '300000000001' }, /^"action" must be one of .*, got undefined$/],
  ['an inherited name as action', { action: 'toString' }, /^"action" must be one of .*, got "toString"$/],
  ['a field missing', { action: 'moveAccount', accountId: '300000000001' }, /^moveAccount needs "parentId"$/],
  ['an unknown field', { action: 'removeAccount', accountId: '300000000001', parent: UNIT }, /^removeAccount takes "accountId", not "parent"$/],
  ['a field not a string', { action: 'removeAccount', accountId: 300000000001 }, /^removeAccount: "accountId" must be a string, got 300000000001$/],
  ['a state of neither kind', { action: 'setAccountState', accountId: '300000000001', state: 'CLOSED' }, /^setAccountState: "state" must be ACTIVE or SUSPENDED, got "CLOSED"$/],
  ['an account id of another pattern', { action: 'addAccount', accountId: '1234' }, /^addAccount: account "1234" does not match/],
  ['an account already in it', { action: 'addAccount', accountId: '300000000001', parentId: CHILD }, /^addAccount: account 300000000001 is in the organization already \(in ou-ab12-engineer\)$/],
  ['a parent that does not exist', { action: 'moveAccount', accountId: '300000000001', parentId: 'ou-ab12-missing1' }, /^moveAccount: no parent ou-ab12-missing1: the root is r-ab12/],
  ['an account not in it', { action: 'removeAccount', accountId: '999999999999' }, /^removeAccount: account 999999999999 is not in the organization$/],
  ['the management account leaving', { action: 'removeAccount', accountId: '000000000000' }, /^removeAccount: account 000000000000 is the management account/],
  ['a unit that is not empty', { action: 'deleteUnit', unitId: UNIT }, /^deleteUnit: unit ou-ab12-engineer holds 2 accounts and 1 units: Organizations deletes only an empty unit/],
])('a body with %s is refused with 400 and why, the organization unchanged', async (_, body, error) => {
  emulator = await AccountLinksEmulator.start({ links: [], organization: ORGANIZATION });

  const answer = await control(body);
  expect(answer.status).toBe(400);
  expect(answer.body.error).toMatch(error);
  expect(await listed(UNIT)).toEqual(['300000000001:ACTIVE', '300000000002:ACTIVE']);
  expect(await listed(CHILD)).toEqual(['300000000101:ACTIVE']);
});

test('an emulator without an organization refuses the change; other paths and methods are refused as such', async () => {
  emulator = await AccountLinksEmulator.start({ links: [] });
  const without = await control({ action: 'removeAccount', accountId: '300000000001' });
  expect(without.status).toBe(400);
  expect(without.body.error).toMatch(/^this emulator serves no organization: start it with one/);

  const unknownPath = await control({}, { path: '/_emulator/accounts' });
  expect(unknownPath).toMatchObject({ status: 404, body: { error: 'no control call /_emulator/accounts: the emulator has POST /_emulator/organization, GET /_emulator/events' } });
  expect(await control(undefined, { method: 'GET' })).toMatchObject({ status: 405, body: { error: '/_emulator/organization takes POST, not GET' } });
  expect(await control({}, { method: 'POST', path: '/_emulator/events' })).toMatchObject({ status: 405, body: { error: '/_emulator/events takes GET, not POST' } });
});

test('changeOrganization() makes the call from another process\'s side, and rejects with the emulator\'s reason', async () => {
  emulator = await AccountLinksEmulator.start({ links: [], organization: ORGANIZATION });

  expect(await changeOrganization(emulator.endpoint, { action: 'moveAccount', accountId: '300000000001', parentId: CHILD })).toEqual({
    action: 'moveAccount', accountId: '300000000001', parentId: CHILD,
  });
  expect(emulator.organization!.parentOf('300000000001')).toBe(CHILD);
  await expect(changeOrganization(emulator.endpoint, { action: 'deleteUnit', unitId: 'ou-ab12-missing1' }))
    .rejects.toThrow('the emulator refused deleteUnit (HTTP 400): deleteUnit: no unit ou-ab12-missing1');
});
