import { AttributeValue, DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { LedgerServer, LedgerServerOptions } from '../src/emulator/ledger';

/** A ledger item as plain values: strings, numbers, booleans, null, lists, maps, sets as arrays. */
export type PlainItem = Record<string, unknown>;

/**
 * The ledger's local DynamoDB for tests (src/emulator/ledger.ts's server), with the SDK's own
 * DynamoDB client pointed at it to look at what the handler wrote.
 */
export class LocalLedger {
  /** Starts dynalite in this process on loopback and creates the ledger table (pk, sk: strings; on-demand). */
  public static async start(options: LedgerServerOptions = {}): Promise<LocalLedger> {
    return new LocalLedger(await LedgerServer.start(options));
  }

  /** The SDK's DynamoDB client, pointed at the server. */
  public readonly client: DynamoDBClient;

  private constructor(public readonly server: LedgerServer) {
    this.client = new DynamoDBClient({
      region: 'eu-west-1',
      endpoint: server.endpoint,
      credentials: { accessKeyId: 'AKIDLEDGER', secretAccessKey: 'test-secret' },
    });
  }

  public get endpoint(): string {
    return this.server.endpoint;
  }

  /** The ledger table's name (ACCOUNT_LINKS_LEDGER_TABLE). */
  public get tableName(): string {
    if (this.server.tableName === undefined) throw new Error('this server was started without a ledger table');
    return this.server.tableName;
  }

  /** Every item of a table (the ledger by default), as plain values. */
  public async items(tableName: string = this.tableName, pageSize?: number): Promise<PlainItem[]> {
    return (await this.rawItems(tableName, pageSize)).map(plainItem);
  }

  /** Every item of a table (the ledger by default) as DynamoDB answers it, read by Scan page after page (`pageSize` items a page). */
  public async rawItems(tableName: string = this.tableName, pageSize?: number): Promise<Array<Record<string, AttributeValue>>> {
    const items: Array<Record<string, AttributeValue>> = [];
    for await (const page of paginateScan({ client: this.client }, { TableName: tableName, ConsistentRead: true, Limit: pageSize })) {
      items.push(...(page.Items ?? []));
    }
    return items;
  }

  public async close(): Promise<void> {
    this.client.destroy();
    await this.server.close();
  }
}

/** An item's attribute values as plain values (numbers as numbers: the ledger's counts and times are small). */
export function plainItem(item: Record<string, AttributeValue>): PlainItem {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, plainValue(value)]));
}

function plainValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.L !== undefined) return value.L.map(plainValue);
  if (value.M !== undefined) return plainItem(value.M);
  if (value.SS !== undefined) return value.SS;
  if (value.NS !== undefined) return value.NS.map(Number);
  if (value.B !== undefined) return value.B;
  if (value.BS !== undefined) return value.BS;
  throw new Error(`an attribute value of no known type: ${JSON.stringify(value)}`);
}
