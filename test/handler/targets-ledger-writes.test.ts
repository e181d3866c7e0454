import { Ledger, ledgerClient, ResourceRecord } from '../../lambda/targets/ledger';
import { LocalLedger } from '../../local-aws/ledger-server';
import { keepEnv } from '../support/env';
import { LossyWorkSpaces } from '../support/lossy-workspaces';

// The ledger's conditional writes against a real DynamoDB-compatible server (dynalite) behind a
// proxy that can lose an answer after the write was carried out: the client's retry then finds
// the condition no longer holds, because its own first attempt changed the item.
const restoreEnv = keepEnv(['AWS_ENDPOINT_URL_DYNAMODB']);
let server: LocalLedger;
let proxy: LossyWorkSpaces;
beforeAll(async () => {
  server = await LocalLedger.start();
  proxy = await LossyWorkSpaces.start(() => server.endpoint, 'DynamoDB_20120810.PutItem');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = proxy.url;
});
afterAll(async () => {
  await proxy.close();
  await server.server.close();
  restoreEnv();
});

const credentials = async () => ({ accessKeyId: 'AKIDLEDGER', secretAccessKey: 'test-secret' });
const record = (request: string): ResourceRecord => ({
  state: 'live',
  source: '111122223333',
  region: 'eu-west-1',
  targets: [],
  requests: [request],
  holder: { request, chain: 'A', turn: 1, leaseUntil: 0 },
});

test('a write whose answer was lost, retried, finds its own write: a success, not a lost race', async () => {
  const ledger = new Ledger(ledgerClient('eu-west-1', credentials), server.tableName, 'stack|targets:R1', {});
  proxy.lose = 1;
  expect(await ledger.writeResource(record('R1'), undefined)).toBe(true);
  expect(proxy.lost).toBe(1);
  expect(await ledger.resource()).toEqual({ value: record('R1'), version: 1 });

  // Another writer's item at that version is a lost race, answer or no answer.
  proxy.lose = 1;
  expect(await ledger.writeResource(record('R2'), undefined)).toBe(false);
  expect(await ledger.writeResource(record('R2'), 1)).toBe(true);
  expect(await ledger.writeResource(record('R3'), 1)).toBe(false);
  expect((await ledger.resource())?.value.holder.request).toBe('R2');
});
