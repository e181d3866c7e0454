import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { AssemblyStack, Template } from '../../local-aws/cloudformation/cloud-assembly';
import { LocalCloudFormation } from '../../local-aws/cloudformation/local-cloudformation';
import { LocalLedger } from '../../local-aws/ledger-server';
import { LocalLambda } from '../../local-aws/local-lambda';
import { ResponseServer } from '../../local-aws/response-server';

// A function that writes to the table its environment names, through the endpoint its
// environment gives, and answers CloudFormation with what it found: on Create, a row in the
// stack's ledger; on Delete, a row in the kept table (and whether the ledger was still there).
const HANDLER = `
const call = (operation, input) => fetch(process.env.AWS_ENDPOINT_URL_DYNAMODB, {
  method: 'POST',
  headers: {
    'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.' + operation, 'x-amz-date': '20260101T000000Z',
    authorization: 'AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
  },
  body: JSON.stringify(input),
}).then(async (res) => ({ ok: res.ok, body: await res.json() }));
exports.handler = async (event) => {
  const { LEDGER_TABLE, LEDGER_ARN, GREETING } = process.env;
  const written = event.RequestType === 'Create'
    ? await call('PutItem', { TableName: LEDGER_TABLE, Item: { pk: { S: event.LogicalResourceId }, sk: { S: 'Create' }, arn: { S: LEDGER_ARN }, greeting: { S: GREETING } } })
    : await call('PutItem', { TableName: event.ResourceProperties.Kept, Item: { id: { S: 'deleted ' + event.LogicalResourceId },
      ledger: { S: (await call('DescribeTable', { TableName: LEDGER_TABLE })).body.Table.TableStatus } } });
  await fetch(event.ResponseURL, { method: 'PUT', body: JSON.stringify({
    Status: written.ok ? 'SUCCESS' : 'FAILED', Reason: written.ok ? undefined : JSON.stringify(written.body), PhysicalResourceId: 'probe',
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, Data: { Table: LEDGER_TABLE },
  }) });
};
`;

const TEMPLATE: Template = {
  Resources: {
    Ledger: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        // Not modelled locally, and not resolvable here: left out.
        SSESpecification: { SSEEnabled: true, KMSMasterKeyId: { 'Fn::If': ['Never', 'a', 'b'] } },
      },
    },
    Kept: {
      Type: 'AWS::DynamoDB::Table',
      DeletionPolicy: 'Retain',
      Properties: {
        TableName: 'kept-table',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      },
    },
    Function: {
      Type: 'AWS::Lambda::Function',
      Metadata: { 'aws:asset:path': 'asset.probe' },
      Properties: {
        Handler: 'index.handler',
        Timeout: 30,
        Environment: { Variables: { LEDGER_TABLE: { Ref: 'Ledger' }, LEDGER_ARN: { 'Fn::GetAtt': ['Ledger', 'Arn'] }, GREETING: 'from the template' } },
      },
    },
    Probe: { Type: 'Custom::Probe', Properties: { ServiceToken: { 'Fn::GetAtt': ['Function', 'Arn'] }, Kept: { Ref: 'Kept' } } },
  },
  Outputs: {
    TableName: { Value: { Ref: 'Ledger' } },
    TableArn: { Value: { 'Fn::GetAtt': ['Ledger', 'Arn'] } },
    SeenByFunction: { Value: { 'Fn::GetAtt': ['Probe', 'Table'] } },
  },
};

let ledger: LocalLedger;
let lambda: LocalLambda;
let responses: ResponseServer;
let cdkOut: string;
const GREETING = process.env.GREETING;
beforeAll(async () => {
  cdkOut = mkdtempSync(path.join(tmpdir(), 'local-cfn-'));
  mkdirSync(path.join(cdkOut, 'asset.probe'));
  writeFileSync(path.join(cdkOut, 'asset.probe', 'index.js'), HANDLER);
  [ledger, lambda, responses] = await Promise.all([LocalLedger.start({ tableName: false }), LocalLambda.start(), ResponseServer.start()]);
  // The function finds DynamoDB through what the local CloudFormation gives it, not through this process.
  delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
  process.env.GREETING = 'from the process';
});
afterAll(async () => {
  await lambda.close();
  await Promise.all([ledger.close(), responses.close()]);
  if (GREETING === undefined) delete process.env.GREETING;
  else process.env.GREETING = GREETING;
});

const stack = (template: Template): AssemblyStack => ({ id: 'Stack', stackName: 'Stack', template, dependencies: [] });

test('a table of the template is created on the local DynamoDB; the function gets its name and ARN through its environment, with the DynamoDB endpoint', async () => {
  const progress: string[] = [];
  const cloudformation = new LocalCloudFormation(cdkOut, lambda, responses, (line) => progress.push(line), ledger.server);
  const result = await cloudformation.deploy(stack(TEMPLATE));

  expect(result).toMatchObject({ status: 'CREATE_COMPLETE' });
  const { TableName: tableName, TableArn: tableArn, SeenByFunction: seen } = result.outputs;
  // As CloudFormation names a table without TableName: stack, logical id, a random suffix.
  expect(tableName).toMatch(/^Stack-Ledger-[0-9A-F]{12}$/);
  expect(tableArn).toBe(`arn:aws:dynamodb:eu-west-1:111122223333:table/${tableName}`);
  expect(seen).toBe(tableName);
  const { Table } = await ledger.client.send(new DescribeTableCommand({ TableName: tableName }));
  expect(Table).toMatchObject({ TableStatus: 'ACTIVE', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] });
  // The template's variables reach the invocation, over this process's.
  expect(await ledger.items(tableName)).toEqual([{ pk: 'Probe', sk: 'Create', arn: tableArn, greeting: 'from the template' }]);
  expect(result.resources.filter((r) => r.type === 'AWS::DynamoDB::Table')).toEqual([
    { logicalId: 'Ledger', type: 'AWS::DynamoDB::Table', status: 'CREATE_COMPLETE', physicalId: tableName },
    { logicalId: 'Kept', type: 'AWS::DynamoDB::Table', status: 'CREATE_COMPLETE', physicalId: 'kept-table' },
  ]);

  // Deleting the stack: the custom resource first (its ledger still there), then the tables but the one kept.
  await cloudformation.destroy('Stack');
  expect(await ledger.items('kept-table')).toEqual([{ id: 'deleted Probe', ledger: 'ACTIVE' }]);
  await expect(ledger.client.send(new DescribeTableCommand({ TableName: tableName }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  expect(progress).toEqual(expect.arrayContaining([
    `Stack: table ${tableName} (Ledger) created`,
    'Stack: table kept-table (Kept) kept (DeletionPolicy Retain)',
    `Stack: table ${tableName} (Ledger) deleted`,
  ]));
}, 120_000);

test('a template with a table and no local DynamoDB to create it on is refused, saying so', async () => {
  const cloudformation = new LocalCloudFormation(cdkOut, lambda, responses, () => undefined);
  await expect(cloudformation.deploy(stack({ Resources: { Ledger: TEMPLATE.Resources.Ledger } })))
    .rejects.toThrow('Stack: Ledger is an AWS::DynamoDB::Table: give LocalCloudFormation a local DynamoDB (a LedgerServer) to create it on');
});
