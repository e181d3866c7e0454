import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { InvitationRecord, Ledger, Versioned } from './ledger';

/**
 * Who acts with the books: a CloudFormation request, or a reconcile run (whose RequestId is
 * `reconcile:<run>`). Its id names the invitations it records and goes into their tokens.
 */
export type Actor = Pick<CloudFormationCustomResourceEvent, 'StackId' | 'LogicalResourceId' | 'RequestId'>;

/** The request no longer holds its resource (a newer request, or another chain, took it): this invocation stops and answers nothing. */
export class SupersededError extends Error {
  constructor() {
    super('the request no longer holds the resource: a newer request, or another invocation of it, does');
    this.name = 'SupersededError';
  }
}

/** The states of an invitation record that may still stand: one to release when its target is no longer wanted. */
const STANDING: ReadonlyArray<InvitationRecord['state']> = ['intended', 'open'];

/**
 * One invocation's view of its resource's ledger: the invitations it recorded (read once
 * an invocation, then kept up to date by its own writes) and the fence it checks before
 * every call that cannot be taken back.
 */
export class Books {
  /** `holds` says whether the actor still holds the resource (fence.ts): read before every call that cannot be taken back. */
  public static async open(ledger: Ledger, event: Actor, holds: () => Promise<boolean>): Promise<Books> {
    return new Books(ledger, event, holds, await ledger.invitations());
  }

  private readonly records: Map<string, Versioned<InvitationRecord>>;

  private constructor(
    public readonly ledger: Ledger,
    public readonly event: Actor,
    private readonly holds: () => Promise<boolean>,
    records: Array<Versioned<InvitationRecord>>,
  ) {
    this.records = new Map(records.map((r) => [keyOf(r.value), r]));
  }

  /** Throws SupersededError unless this invocation still holds the request. */
  public async mustHold(): Promise<void> {
    if (!await this.holds()) throw new SupersededError();
  }

  /** This request's record of its invitation to `target` (its token), if any. */
  public own(target: string, token: string): Versioned<InvitationRecord> | undefined {
    return this.records.get(`${target}#${token}`);
  }

  /** The resource's invitations that may still stand (pending, or made without an answer), oldest request first. */
  public standing(): InvitationRecord[] {
    return [...this.records.values()].map((r) => r.value).filter((r) => STANDING.includes(r.state));
  }

  /** Every record of the resource's invitations. */
  public all(): InvitationRecord[] {
    return [...this.records.values()].map((r) => r.value);
  }

  /**
   * Marks `record` (this request's, its call never made) abandoned, if it is still as this
   * invocation knows it; otherwise whoever wrote it since decides what it is.
   */
  public async abandon(record: InvitationRecord): Promise<void> {
    const key = keyOf(record);
    const known = this.records.get(key);
    if (!known || known.value.state !== 'intended') return;
    const value: InvitationRecord = { ...known.value, state: 'abandoned' };
    if (await this.ledger.writeInvitation(value, known.version)) this.records.set(key, { value, version: known.version + 1 });
  }

  /**
   * Writes `value` over the record this invocation knows (or as a new one). When another
   * copy wrote it first, the record is read again: the caller goes on from what it says.
   */
  public async write(value: InvitationRecord): Promise<InvitationRecord> {
    const key = keyOf(value);
    const known = this.records.get(key);
    if (await this.ledger.writeInvitation(value, known?.version)) {
      this.records.set(key, { value, version: (known?.version ?? 0) + 1 });
      return value;
    }
    for (const record of await this.ledger.invitations()) this.records.set(keyOf(record.value), record);
    const now = this.records.get(key);
    if (!now) throw new Error(`the ledger refused the record of the invitation to account ${value.target} and has none`);
    return now.value;
  }
}

function keyOf(record: InvitationRecord): string {
  return `${record.target}#${record.token}`;
}
