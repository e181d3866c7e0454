/// <reference path="../../core/sdk-endpoint-rules.d.ts" />
import { randomUUID } from 'node:crypto';
import type * as dynamodb from '@aws-sdk/client-dynamodb';
import { bdd as dynamodbRules } from '@aws-sdk/client-dynamodb/dist-cjs/endpoint/bdd';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { describeError } from '../../core/describe-error';
import { resolvedEndpoint, Service } from '../../core/endpoints';
import { JsonApiClient, WorkSpacesApiError } from '../../core/workspaces-client';
import { LEDGER_KEY, LEDGER_TABLE_ENV } from '../../src/contract';

/** The DynamoDB operations the ledger makes, with the SDK's types for what they take and answer. */
interface DynamoDBOperations {
  GetItem: [dynamodb.GetItemInput, dynamodb.GetItemOutput];
  PutItem: [dynamodb.PutItemInput, dynamodb.PutItemOutput];
  Query: [dynamodb.QueryInput, dynamodb.QueryOutput];
}

/** DynamoDB, for its endpoints. */
export const DYNAMODB_SERVICE: Service = { name: 'dynamodb', rules: dynamodbRules };

/** DynamoDB's API: AWS JSON 1.0. */
const DYNAMODB_API = { signingName: 'dynamodb', targetPrefix: 'DynamoDB_20120810', jsonVersion: '1.0' } as const;

/** The sort key of a resource's own item; its invitations' sort keys start with INVITATION_PREFIX. */
const RESOURCE_SORT_KEY = 'resource';
/** The sort key of what the resource's last run or deployment saw (ObservedRecord). */
const OBSERVED_SORT_KEY = 'observed';
const INVITATION_PREFIX = 'invitation#';

/** How a request stands with its resource: the request that holds it, and the chain of invocations that carries it. */
export interface Holder {
  /** The CloudFormation request id. */
  readonly request: string;
  /** The chain of invocations carrying the request: minted by the invocation that took the request, handed over with it. */
  readonly chain: string;
  /** The chain's invocation that holds it now (1, then one more per hand-over). */
  readonly turn: number;
  /** Until when no other chain may take the request over (ms since the epoch). */
  readonly leaseUntil: number;
  /** When CloudFormation sent the request: a copy of an older request the resource never saw acts on nothing. */
  readonly requestTime?: number;
  /** Set once the request's one answer is decided: nothing acts for it any more. */
  readonly answered?: 'SUCCESS' | 'FAILED';
  /** The request's type: after a Delete, even one that failed, no reconcile run acts (CloudFormation is deleting the resource). */
  readonly type?: 'Create' | 'Update' | 'Delete';
}

/** What the ledger keeps of one AccountLinkTargets resource (one physical id). */
export interface ResourceRecord {
  /** `deleted` once a Delete succeeded (or came first): nothing acts for the resource any more. */
  readonly state: 'live' | 'deleted';
  /** The account its invitations come from, and their Region. */
  readonly source: string;
  readonly region: string;
  /** The targets as its last successful Create or Update resolved them. */
  readonly targets: readonly string[];
  /** The properties of its last successful Create or Update. */
  readonly properties?: Readonly<Record<string, unknown>>;
  /** The requests that have held it, oldest first (the last MAX_REQUESTS): a copy of an older one acts on nothing. */
  readonly requests: readonly string[];
  readonly holder: Holder;
  /** The reconcile run that holds it, or held it last (run-fence.ts). */
  readonly run?: RunHolder;
}

/**
 * A reconcile run's hold on its resource: it acts only while no deployment holds the
 * resource (and stops at a deployment's claim), and each run (every delivery of one
 * schedule occurrence or event) acts once.
 */
export interface RunHolder {
  /** The occurrence (ReconcileRequest.run). */
  readonly id: string;
  /** When it was due (ms since the epoch): a run older than the last one acts on nothing. */
  readonly time: number;
  /** The invocation that carries it. */
  readonly chain: string;
  /** Until when no other invocation of the run may take it over. */
  readonly leaseUntil: number;
  /** The deployment request whose properties it runs with: a newer request ends its hold. */
  readonly after: string;
  /** Set once the run ended: its other deliveries act on nothing. */
  readonly done?: boolean;
  /** Set by a run that came while this one was at work (an organization event): this one goes round once more. */
  readonly rerun?: boolean;
}

/** A target as a run or deployment last saw it: its link's status (LINK_NOT_FOUND when it has none) and id. */
export interface TargetStatus {
  readonly status: string;
  readonly linkId?: string;
}

/**
 * What the resource's last run or deployment saw, for the next one to tell what changed
 * (one event per change) and which targets are new (a run invites those, and only those).
 */
export interface ObservedRecord {
  /** Each target's status, by account id. */
  readonly statuses: Readonly<Record<string, TargetStatus>>;
  /** Changes whose event EventBridge did not take: the next run or deployment sends them. */
  readonly unsent?: ReadonlyArray<{ readonly target: string; readonly before?: TargetStatus; readonly after: TargetStatus }>;
  /** The organization's management account, once read: it never changes, so runs need not ask again. */
  readonly management?: string;
  /** When, and by which request or run. */
  readonly at: number;
  readonly by: string;
}

/** How many request ids a resource remembers: far more than one resource sees while a late copy can still come. */
export const MAX_REQUESTS = 100;

/**
 * One invitation a resource created, or was about to create: recorded (`intended`) before
 * the CreateAccountLinkInvitation call, so that no crash, timeout or duplicate leaves an
 * invitation nobody knows of; then what became of it.
 * - `intended`: the call was about to be made, or made without an answer;
 * - `open`: the invitation exists (pending, or LINKED: an accepted link cannot be removed);
 * - `released`: deleted by this resource, or found gone;
 * - `refused`: the call was refused: nothing was created;
 * - `abandoned`: recorded by a request that then found it no longer held the resource, so
 *   never made the call: nobody else resolves it; the request's own successor may go on.
 */
export interface InvitationRecord {
  readonly target: string;
  readonly source: string;
  readonly region: string;
  /** The ClientToken of the call: the request's, so every copy of the request sends the same. */
  readonly token: string;
  /** The request that made it. */
  readonly request: string;
  readonly linkId?: string;
  readonly state: 'intended' | 'open' | 'released' | 'refused' | 'abandoned';
  /** The request or run that deleted it (a release that found it gone or LINKED sets none): its Released count. */
  readonly deletedBy?: string;
}

/** A record as read, with the version a conditional write of it must find. */
export interface Versioned<T> {
  readonly value: T;
  readonly version: number;
}

/**
 * The ledger of one AccountLinkTargets resource in the provider's table (LEDGER_TABLE_ENV):
 * its own item (ResourceRecord) and one item per invitation (InvitationRecord), each a JSON
 * document beside a version number and the mark of the write that made it. Every write is
 * a conditional write of one item (no transactions): it succeeds only if the item is still
 * at the version the writer read, or absent when it expects none, so two writers never
 * both act on what they read; a writer whose answer was lost tells its own write by its mark.
 */
export class Ledger {
  constructor(
    private readonly client: JsonApiClient<DynamoDBOperations>,
    private readonly tableName: string,
    /** The resource's partition key: its stack and physical id. */
    public readonly key: string,
    /** Counts the table's operations (`ledgerCalls`, for the log and the benchmark). */
    private readonly counter: { ledgerCalls?: number },
    private readonly signal?: AbortSignal,
  ) {}

  /** The resource's record, read consistently; undefined when it has none. */
  public async resource(): Promise<Versioned<ResourceRecord> | undefined> {
    const answer = await this.send('GetItem', { TableName: this.tableName, Key: this.itemKey(RESOURCE_SORT_KEY), ConsistentRead: true });
    return answer.Item ? versioned<ResourceRecord>(answer.Item) : undefined;
  }

  /** Writes the resource's record if it is still at `expected` (undefined: if it has none). False when it is not. */
  public async writeResource(value: ResourceRecord, expected: number | undefined): Promise<boolean> {
    return this.put(RESOURCE_SORT_KEY, value, expected);
  }

  /** What the last run or deployment saw, read consistently; undefined before the first. */
  public async observed(): Promise<Versioned<ObservedRecord> | undefined> {
    const answer = await this.send('GetItem', { TableName: this.tableName, Key: this.itemKey(OBSERVED_SORT_KEY), ConsistentRead: true });
    return answer.Item ? versioned<ObservedRecord>(answer.Item) : undefined;
  }

  /** Writes what a run or deployment saw, if the record is still at `expected`. False when it is not. */
  public async writeObserved(value: ObservedRecord, expected: number | undefined): Promise<boolean> {
    return this.put(OBSERVED_SORT_KEY, value, expected);
  }

  /** Every invitation the resource recorded, read consistently. */
  public async invitations(): Promise<Array<Versioned<InvitationRecord>>> {
    const records: Array<Versioned<InvitationRecord>> = [];
    let start: Record<string, dynamodb.AttributeValue> | undefined;
    do {
      const answer = await this.send('Query', {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': LEDGER_KEY.partition, '#sk': LEDGER_KEY.sort },
        ExpressionAttributeValues: { ':pk': { S: this.key }, ':prefix': { S: INVITATION_PREFIX } },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      });
      records.push(...(answer.Items ?? []).map((item) => versioned<InvitationRecord>(item)));
      start = answer.LastEvaluatedKey;
    } while (start);
    return records;
  }

  /** Writes an invitation's record if it is still at `expected` (undefined: if it has none). False when it is not. */
  public async writeInvitation(value: InvitationRecord, expected: number | undefined): Promise<boolean> {
    return this.put(`${INVITATION_PREFIX}${value.target}#${value.token}`, value, expected);
  }

  private async put(sortKey: string, value: unknown, expected: number | undefined): Promise<boolean> {
    const version = (expected ?? 0) + 1;
    // This write's own mark: two writers of the same document (twin copies of one hand-over) are still two writes.
    const write = randomUUID();
    try {
      await this.send('PutItem', {
        TableName: this.tableName,
        Item: { ...this.itemKey(sortKey), version: { N: String(version) }, write: { S: write }, doc: { S: JSON.stringify(value) } },
        ...(expected === undefined
          ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': LEDGER_KEY.partition } }
          : { ConditionExpression: '#version = :version', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':version': { N: String(expected) } } }),
      });
      return true;
    } catch (error) {
      if (!(error instanceof WorkSpacesApiError && error.name === 'ConditionalCheckFailedException')) throw error;
      // A retried attempt (the first one's answer was lost) finds its own write: that is a success, not a lost race.
      const now = (await this.send('GetItem', { TableName: this.tableName, Key: this.itemKey(sortKey), ConsistentRead: true })).Item;
      return now?.version?.N === String(version) && now.write?.S === write;
    }
  }

  private itemKey(sortKey: string): Record<string, dynamodb.AttributeValue> {
    return { [LEDGER_KEY.partition]: { S: this.key }, [LEDGER_KEY.sort]: { S: sortKey } };
  }

  private async send<K extends keyof DynamoDBOperations & string>(operation: K, input: DynamoDBOperations[K][0]): Promise<DynamoDBOperations[K][1]> {
    this.counter.ledgerCalls = (this.counter.ledgerCalls ?? 0) + 1;
    try {
      return await this.client.send(operation, input, this.signal);
    } catch (error) {
      if (error instanceof WorkSpacesApiError && error.name === 'ConditionalCheckFailedException') throw error;
      throw new LedgerError(`DynamoDB ${operation} on the ledger table ${this.tableName} failed: ${describeError(error)}`, error);
    }
  }
}

/** A ledger call that failed, naming the operation and the table; the API error is its cause. */
export class LedgerError extends Error {
  constructor(message: string, public readonly cause: unknown) {
    super(message);
    this.name = 'LedgerError';
  }
}

/** The ledger table's name, from the function's environment; undefined when the provider has none. */
export function ledgerTableName(): string | undefined {
  return process.env[LEDGER_TABLE_ENV] || undefined;
}

/** A DynamoDB client for the function's own Region (the table is the provider's), with its own role's credentials. */
export function ledgerClient(region: string, credentials: AwsCredentialIdentityProvider): JsonApiClient<DynamoDBOperations> {
  const { url, signingRegion } = resolvedEndpoint(DYNAMODB_SERVICE, region);
  return new JsonApiClient<DynamoDBOperations>({ region: signingRegion, credentials, endpoint: url }, DYNAMODB_API);
}

function versioned<T>(item: Record<string, dynamodb.AttributeValue>): Versioned<T> {
  return { value: JSON.parse(item.doc?.S ?? 'null') as T, version: Number(item.version?.N ?? 0) };
}
