import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LEDGER_KEY } from '../contract';

/** The ledger table's name when none is given (the emulator command's, the local organization cloud's). */
export const DEFAULT_LEDGER_TABLE = 'account-links-ledger';

/** What a missing dynalite means, said in one line. */
export const DYNALITE_MISSING = 'the ledger (AccountLinkTargets\' DynamoDB table) needs dynalite, which is not installed: npm install dynalite';

/** CreateTable's input, as far as the local server takes it (an `AWS::DynamoDB::Table`'s properties of the same names). */
export interface TableDefinition {
  readonly TableName: string;
  readonly KeySchema: ReadonlyArray<{ readonly AttributeName: string; readonly KeyType: string }>;
  readonly AttributeDefinitions: ReadonlyArray<{ readonly AttributeName: string; readonly AttributeType: string }>;
  /** @default - PROVISIONED with ProvisionedThroughput, else PAY_PER_REQUEST */
  readonly BillingMode?: string;
  readonly ProvisionedThroughput?: { readonly ReadCapacityUnits: number; readonly WriteCapacityUnits: number };
  readonly GlobalSecondaryIndexes?: unknown[];
  readonly LocalSecondaryIndexes?: unknown[];
}

export interface LedgerServerOptions {
  /**
   * The ledger table to create, named so; `false` creates none (a local CloudFormation
   * creates the tables its templates declare).
   * @default DEFAULT_LEDGER_TABLE
   */
  readonly tableName?: string | false;
  /** @default 0 (any free port) */
  readonly port?: number;
  /** Loopback only by default. @default 127.0.0.1 */
  readonly host?: string;
}

/** dynalite's export: a function that makes an http.Server speaking DynamoDB's protocol. */
type Dynalite = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => Server;

/** The ledger table's definition: the contract's key (two strings), on-demand billing. */
export function ledgerTableDefinition(tableName: string): TableDefinition {
  return {
    TableName: tableName,
    KeySchema: [{ AttributeName: LEDGER_KEY.partition, KeyType: 'HASH' }, { AttributeName: LEDGER_KEY.sort, KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: LEDGER_KEY.partition, AttributeType: 'S' }, { AttributeName: LEDGER_KEY.sort, AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  };
}

/**
 * A DynamoDB-compatible server in this process, in memory, on loopback (dynalite: the real
 * protocol, conditions and errors included), holding the ledger table. Point the handler at
 * it with `AWS_ENDPOINT_URL_DYNAMODB=<endpoint>` and `ACCOUNT_LINKS_LEDGER_TABLE=<tableName>`.
 * dynalite is loaded when a server starts, so that what does not need a ledger runs
 * without it; start() says so in one line (DYNALITE_MISSING) when it is not installed.
 */
export class LedgerServer {
  public static async start(options: LedgerServerOptions = {}): Promise<LedgerServer> {
    // Tables are ACTIVE at once: nothing here waits for CREATING to end.
    const server = loadDynalite()({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    const tableName = options.tableName === false ? undefined : options.tableName ?? DEFAULT_LEDGER_TABLE;
    const ledger = new LedgerServer(server, tableName);
    try {
      if (tableName !== undefined) await ledger.createTable(ledgerTableDefinition(tableName));
    } catch (error) {
      await ledger.close();
      throw error;
    }
    return ledger;
  }

  private constructor(private readonly server: Server, public readonly tableName: string | undefined) {}

  /** Base URL, e.g. `http://127.0.0.1:4567`. */
  public get endpoint(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address}:${port}`;
  }

  /** Creates a table and waits until it is ACTIVE; returns its ARN (the server's, in its own account and Region). */
  public async createTable(definition: TableDefinition): Promise<string> {
    const billingMode = definition.BillingMode ?? (definition.ProvisionedThroughput ? 'PROVISIONED' : 'PAY_PER_REQUEST');
    const created = await this.call('CreateTable', { ...definition, BillingMode: billingMode }) as { TableDescription: { TableArn: string } };
    for (let attempt = 0; attempt < 100; attempt++) {
      const { Table } = await this.call('DescribeTable', { TableName: definition.TableName }) as { Table: { TableStatus: string } };
      if (Table.TableStatus === 'ACTIVE') return created.TableDescription.TableArn;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`table ${definition.TableName} did not become ACTIVE`);
  }

  public async deleteTable(tableName: string): Promise<void> {
    await this.call('DeleteTable', { TableName: tableName });
  }

  public async close(): Promise<void> {
    // An SDK client keeps its connections open: close them, or close() would wait for them.
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  /**
   * One DynamoDB call (JSON 1.0), as the SDK sends it: the shipped emulator carries no SDK.
   * dynalite checks that a request is signed, not the signature.
   */
  private async call(operation: string, input: object): Promise<unknown> {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${operation}`,
        'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
        'authorization': 'AWS4-HMAC-SHA256 Credential=local/20000101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=local',
      },
      body: JSON.stringify(input),
    });
    const body = await response.json() as { __type?: string; message?: string; Message?: string };
    if (!response.ok) {
      throw new Error(`${operation} failed: ${String(body.__type).split('#').pop()}: ${body.message ?? body.Message ?? response.statusText}`);
    }
    return body;
  }
}

/** dynalite, or an error that says in one line how to get it (it is not one of the package's dependencies). */
function loadDynalite(): Dynalite {
  try {
    // Loaded here, not imported, and no dependency of the package: the emulator's other parts
    // run where dynalite is not installed, and say how to get it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
    return require('dynalite') as Dynalite;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'MODULE_NOT_FOUND' && message.includes('\'dynalite\'')) throw new Error(DYNALITE_MISSING);
    throw error;
  }
}
