import { CreateAccountLinkInvitationCommand, DeleteAccountLinkInvitationCommand, WorkSpacesClient } from '@aws-sdk/client-workspaces';
import { AccountLinksEmulator, EmulatorOptions } from '../../src/emulator/emulator';

// CreateAccountLinkInvitation's ClientToken, as the service may treat it: WorkSpaces documents
// it only as what it "uses to ensure idempotent creation", for no stated time; AWS services
// that state one forget tokens after hours.

const SOURCE = '111122223333';
const TARGET = '444455556666';
const OTHER = '777788889999';

let emulator: AccountLinksEmulator;
let client: WorkSpacesClient;
afterEach(async () => {
  client?.destroy();
  await emulator?.close();
});

async function start(options: Partial<EmulatorOptions> = {}) {
  emulator = await AccountLinksEmulator.start({ links: [], accounts: { AKIDSOURCE: SOURCE }, ...options });
  client = new WorkSpacesClient({
    region: 'eu-west-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'AKIDSOURCE', secretAccessKey: 'test' }, maxAttempts: 1,
  });
}
const create = (target: string, ClientToken: string) => client.send(new CreateAccountLinkInvitationCommand({ TargetAccountId: target, ClientToken }));
const remove = (linkId: string) => client.send(new DeleteAccountLinkInvitationCommand({ LinkId: linkId }));

test('by default a token answers its invitation forever: the same one, then LINK_NOT_FOUND once deleted; never another', async () => {
  await start();
  const { AccountLink: first } = await create(TARGET, 'token-1');
  expect((await create(TARGET, 'token-1')).AccountLink).toEqual(first);
  await remove(first!.AccountLinkId!);

  expect((await create(TARGET, 'token-1')).AccountLink).toMatchObject({ AccountLinkId: first!.AccountLinkId, AccountLinkStatus: 'LINK_NOT_FOUND' });
  expect(emulator.snapshot()).toEqual([]);
  await expect(create(OTHER, 'token-1')).rejects.toMatchObject({ name: 'ConflictException', message: 'The ClientToken was used with other parameters.' });
});

test('forgetClientTokens(): a forgotten token is a new request: ConflictException while the invitation is open, a new invitation once it is gone', async () => {
  await start();
  const { AccountLink: first } = await create(TARGET, 'token-1');
  emulator.forgetClientTokens();

  await expect(create(TARGET, 'token-1')).rejects.toMatchObject({ name: 'ConflictException', message: `Account ${TARGET} is already linked or invited (${first!.AccountLinkId}).` });
  await remove(first!.AccountLinkId!);
  const { AccountLink: second } = await create(TARGET, 'token-1');

  expect(second).toMatchObject({ AccountLinkStatus: 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT', TargetAccountId: TARGET });
  expect(second!.AccountLinkId).not.toBe(first!.AccountLinkId);
  expect(emulator.snapshot().map((l) => l.AccountLinkId)).toEqual([second!.AccountLinkId]);
  // The token now answers the new invitation, and may be used for another target once forgotten again.
  expect((await create(TARGET, 'token-1')).AccountLink!.AccountLinkId).toBe(second!.AccountLinkId);
  emulator.forgetClientTokens();
  expect((await create(OTHER, 'token-1')).AccountLink!.TargetAccountId).toBe(OTHER);
});

test('clientTokenLifetimeMs: a token answers its invitation within its lifetime only', async () => {
  await start({ clientTokenLifetimeMs: 300 });
  const { AccountLink: first } = await create(TARGET, 'token-1');
  await remove(first!.AccountLinkId!);
  expect((await create(TARGET, 'token-1')).AccountLink!.AccountLinkStatus).toBe('LINK_NOT_FOUND');

  await new Promise((resolve) => setTimeout(resolve, 350));
  const { AccountLink: again } = await create(TARGET, 'token-1');
  expect(again).toMatchObject({ AccountLinkStatus: 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT' });
  expect(again!.AccountLinkId).not.toBe(first!.AccountLinkId);
});

test('clientTokenLifetimeMs 0 forgets at once; a negative lifetime is refused', async () => {
  await start({ clientTokenLifetimeMs: 0 });
  const { AccountLink: first } = await create(TARGET, 'token-1');
  await expect(create(TARGET, 'token-1')).rejects.toMatchObject({ name: 'ConflictException', message: expect.stringContaining(first!.AccountLinkId!) });

  await expect(AccountLinksEmulator.start({ links: [], clientTokenLifetimeMs: -1 })).rejects.toThrow('clientTokenLifetimeMs must be 0 or more, got -1');
});
