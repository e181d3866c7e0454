import {
  ConditionalCheckFailedException, DescribeTableCommand, PutItemCommand, ScanCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { LocalLedger } from '../../local-aws/ledger-server';
import { LEDGER_KEY } from '../../src/contract';
import { DEFAULT_LEDGER_TABLE, LedgerServer } from '../../src/emulator/ledger';

let ledger: LocalLedger | undefined;
afterEach(async () => {
  await ledger?.close();
  ledger = undefined;
});

test('the ledger table has the contract\'s key (pk, sk: strings) and on-demand billing, as the SDK\'s own client describes it', async () => {
  ledger = await LocalLedger.start();
  const { Table } = await ledger.client.send(new DescribeTableCommand({ TableName: DEFAULT_LEDGER_TABLE }));

  expect(ledger.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(Table).toMatchObject({
    TableName: DEFAULT_LEDGER_TABLE,
    TableStatus: 'ACTIVE',
    KeySchema: [{ AttributeName: LEDGER_KEY.partition, KeyType: 'HASH' }, { AttributeName: LEDGER_KEY.sort, KeyType: 'RANGE' }],
    AttributeDefinitions: expect.arrayContaining([{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }]),
    BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
  });
});

test('a conditional write that finds the item there already is refused with ConditionalCheckFailedException', async () => {
  ledger = await LocalLedger.start({ tableName: 'ledger-under-test' });
  const put = (owner: string) => ledger!.client.send(new PutItemCommand({
    TableName: 'ledger-under-test',
    Item: { pk: { S: 'target#200000000001' }, sk: { S: 'invitation' }, owner: { S: owner } },
    ConditionExpression: 'attribute_not_exists(pk)',
  }));

  await put('first');
  await expect(put('second')).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  // An update on a version it no longer has is refused too; on the current one it passes.
  const bump = (from: number) => ledger!.client.send(new UpdateItemCommand({
    TableName: 'ledger-under-test',
    Key: { pk: { S: 'target#200000000001' }, sk: { S: 'invitation' } },
    UpdateExpression: 'SET version = :next',
    ConditionExpression: 'attribute_not_exists(version) OR version = :from',
    ExpressionAttributeValues: { ':from': { N: String(from) }, ':next': { N: String(from + 1) } },
  }));
  await bump(0);
  await expect(bump(0)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  await bump(1);
  expect(await ledger.items('ledger-under-test')).toEqual([{ pk: 'target#200000000001', sk: 'invitation', owner: 'first', version: 2 }]);
});

test('items() reads every page of a Scan, with plain values', async () => {
  ledger = await LocalLedger.start();
  for (let i = 0; i < 30; i++) {
    await ledger.client.send(new PutItemCommand({
      TableName: ledger.tableName,
      Item: {
        pk: { S: 'resource' },
        sk: { S: `target#${String(i).padStart(2, '0')}` },
        n: { N: String(i) },
        done: { BOOL: i % 2 === 0 },
        detail: { M: { links: { L: [{ S: 'link-00000001' }, { NULL: true }] } } },
        tags: { SS: ['a'] },
      },
    }));
  }
  // One page of 7 does not hold them all: the rest takes LastEvaluatedKey.
  const first = await ledger.client.send(new ScanCommand({ TableName: ledger.tableName, Limit: 7 }));
  expect(first.Items).toHaveLength(7);
  expect(first.LastEvaluatedKey).toBeDefined();

  const items = await ledger.items(ledger.tableName, 7);
  expect(items.map((item) => item.n).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 30 }, (_, i) => i));
  expect(items.find((item) => item.n === 4)).toEqual({
    pk: 'resource', sk: 'target#04', n: 4, done: true, detail: { links: ['link-00000001', null] }, tags: ['a'],
  });
});

test('without the SDK: tables are created (ACTIVE at once, their ARN answered) and deleted; a second table of a name is refused', async () => {
  const server = await LedgerServer.start({ tableName: false });
  try {
    expect(server.tableName).toBeUndefined();
    const definition = {
      TableName: 'stack-Ledger-ABC',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    };
    expect(await server.createTable(definition)).toMatch(/^arn:aws:dynamodb:[^:]+:\d{12}:table\/stack-Ledger-ABC$/);
    await expect(server.createTable(definition)).rejects.toThrow(/^CreateTable failed: ResourceInUseException: /);
    await server.deleteTable('stack-Ledger-ABC');
    await server.createTable(definition);
  } finally {
    await server.close();
  }
});

test('close() ends the server although a client keeps its connection open', async () => {
  ledger = await LocalLedger.start();
  await ledger.items();
  const endpoint = ledger.endpoint;
  await ledger.server.close();
  await expect(fetch(endpoint, { method: 'POST' })).rejects.toThrow();
  ledger.client.destroy();
  ledger = undefined;
});
