import { randomUUID } from 'node:crypto';

/** The `X-Amz-Target` prefix of EventBridge's JSON 1.1 protocol (its service model's targetPrefix). */
export const EVENTS_TARGET_PREFIX = 'AWSEvents.';

/** PutEvents takes 1 to 10 entries a call (the service model's PutEventsRequestEntryList). */
export const PUT_EVENTS_MAX_ENTRIES = 10;

/**
 * The entries of one PutEvents call must total less than 256 KB, each entry measured as
 * AWS's "Calculating PutEvents event entry size" says (putEventsEntrySize).
 */
export const PUT_EVENTS_MAX_BYTES = 256 * 1024;

/** DetailType's documented length: "a maximum of 128 characters". */
const MAX_DETAIL_TYPE_CHARACTERS = 128;
/** "PutEvents will only process nested JSON up to 1000 levels deep." */
const MAX_DETAIL_DEPTH = 1000;
/** The service model's NonPartnerEventBusNameOrArn (1 to 1600 characters), anchored. */
const EVENT_BUS_NAME_PATTERN = /^(arn:aws[\w-]*:events:[a-z]+-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[.\-_A-Za-z0-9]+$/;
/** The service model's EventResource and TraceHeader lengths. */
const MAX_RESOURCE_CHARACTERS = 2048;
const MAX_TRACE_HEADER_CHARACTERS = 500;

/**
 * How the emulator's PutEvents fails while a fault is set. The call's faults answer the
 * whole call with an error, which the SDK retries; the entries' faults answer 200 with
 * every entry failed (FailedEntryCount), which the SDK does not retry: the caller must
 * resend them. Each uses one of the codes PutEvents documents as retryable.
 */
export type EventsFault =
  /** The call: ThrottlingException (HTTP 400). */
  | 'throttle'
  /** The call: InternalException (HTTP 500), PutEvents' one modelled error. */
  | 'internal'
  /** Each entry that would have been accepted: ErrorCode ThrottlingException. */
  | 'throttle-entries'
  /** Each entry that would have been accepted: ErrorCode InternalFailure. */
  | 'internal-entries';

const FAULTS: readonly EventsFault[] = ['throttle', 'internal', 'throttle-entries', 'internal-entries'];

/**
 * An event PutEvents accepted, as EventBridge delivers it to a rule's target (its
 * envelope), and the bus it was put on.
 */
export interface ReceivedEvent {
  readonly 'version': '0';
  /** The EventId PutEvents answered for it. */
  readonly 'id': string;
  readonly 'detail-type': string;
  readonly 'source': string;
  /** The caller's account, when the emulator knows its access key (EmulatorOptions.accounts). */
  readonly 'account'?: string;
  /** The entry's Time, else when it was received (ISO 8601, to the second, as EventBridge writes it). */
  readonly 'time': string;
  /** The Region of the request's signature, when signed. */
  readonly 'region'?: string;
  readonly 'resources': string[];
  /** The entry's Detail, parsed. */
  readonly 'detail': Record<string, unknown>;
  /** EventBusName as the entry gave it (a name or an ARN), `default` when it gave none. */
  readonly 'eventBusName': string;
}

/** A PutEvents error that answers the whole call. */
export class EventBridgeError extends Error {
  constructor(readonly type: string, message: string, readonly httpStatus = 400) {
    super(message);
  }
}

/** One entry of a PutEvents call, as the wire carries it (anything, until checked). */
type RequestEntry = Record<string, unknown>;

/** One entry's answer: its EventId, or why it failed. */
type ResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/**
 * The size EventBridge counts for an entry against PUT_EVENTS_MAX_BYTES, as its user guide
 * computes it: 14 bytes for a Time, and the UTF-8 bytes of Source, DetailType, Detail
 * and each of Resources (what is absent counts nothing).
 */
export function putEventsEntrySize(entry: RequestEntry): number {
  const bytes = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
  const resources = Array.isArray(entry.Resources) ? entry.Resources : [];
  return (entry.Time !== undefined && entry.Time !== null ? 14 : 0) + bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail)
    + resources.reduce((sum: number, resource: unknown) => sum + bytes(resource), 0);
}

/** Who called: the account the access key is, and the Region of the signature. */
export interface EventsCaller {
  readonly account?: string;
  readonly region?: string;
}

/**
 * EventBridge's PutEvents onto event buses that take every event: the service model's and
 * the API reference's checks (1 to 10 entries, under 256 KB in all, Source, DetailType and
 * a JSON object Detail in each), an answer entry for each request entry in its place, and
 * the accepted events kept in order.
 */
export class EmulatedEventBus {
  /** Every event accepted, in order. */
  public readonly events: ReceivedEvent[] = [];
  private fault?: EventsFault;
  private faultCalls = 0;

  /** The fault PutEvents answers with now, if any. */
  public get currentFault(): EventsFault | undefined {
    return this.faultCalls > 0 ? this.fault : undefined;
  }

  /** Fails the next `calls` PutEvents calls (every one, by default) as `fault` says; undefined ends a fault. */
  public failPutEvents(fault: EventsFault | undefined, calls = Infinity): void {
    if (fault !== undefined && !FAULTS.includes(fault)) throw new Error(`an events fault is one of ${FAULTS.join(', ')}, got ${JSON.stringify(fault)}`);
    if (!(calls >= 0)) throw new Error(`calls must be 0 or more, got ${calls}`);
    this.fault = fault;
    this.faultCalls = fault === undefined ? 0 : calls;
  }

  /** Answers one EventBridge operation (only PutEvents is served). */
  public answer(operation: string, input: Record<string, unknown>, caller: EventsCaller): object {
    if (operation !== 'PutEvents') throw new EventBridgeError('UnknownOperationException', `this emulator's EventBridge serves PutEvents only, not ${JSON.stringify(operation)}`);
    return this.putEvents(input, caller);
  }

  private putEvents(input: Record<string, unknown>, caller: EventsCaller): object {
    const fault = this.takeFault();
    if (fault === 'throttle') throw new EventBridgeError('ThrottlingException', 'Rate exceeded');
    if (fault === 'internal') throw new EventBridgeError('InternalException', 'Service encountered unexpected problem. Please try again.', 500);
    const entries = checkRequest(input);
    const now = new Date();
    const results: ResultEntry[] = entries.map((entry) => {
      const problem = entryProblem(entry);
      if (problem) return problem;
      if (fault === 'throttle-entries') return { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded.' };
      if (fault === 'internal-entries') return { ErrorCode: 'InternalFailure', ErrorMessage: 'The request processing has failed because of an unknown error, exception or failure.' };
      const id = randomUUID();
      this.events.push({
        'version': '0',
        'id': id,
        'detail-type': entry.DetailType as string,
        'source': entry.Source as string,
        ...(caller.account !== undefined ? { account: caller.account } : {}),
        'time': isoSeconds(entry.Time === undefined || entry.Time === null ? now : new Date(Number(entry.Time) * 1000)),
        ...(caller.region !== undefined ? { region: caller.region } : {}),
        'resources': (entry.Resources as string[] | undefined) ?? [],
        'detail': JSON.parse(entry.Detail as string),
        'eventBusName': (entry.EventBusName as string | undefined) ?? 'default',
      });
      return { EventId: id };
    });
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }

  private takeFault(): EventsFault | undefined {
    if (this.fault === undefined || this.faultCalls <= 0) return undefined;
    this.faultCalls--;
    return this.fault;
  }
}

/**
 * The request's entries, or the ValidationException (or SerializationException, for what
 * is not of its modelled type) that answers the whole call: the service model's
 * constraints, and the size limit.
 */
function checkRequest(input: Record<string, unknown>): RequestEntry[] {
  const entries = input.Entries;
  if (entries === undefined) throw validation('Entries', 'null', 'Member must not be null');
  if (!Array.isArray(entries) || entries.some((e) => typeof e !== 'object' || e === null || Array.isArray(e))) {
    throw new EventBridgeError('SerializationException', 'Entries must be a list of PutEventsRequestEntry structures');
  }
  if (entries.length < 1) throw validation('entries', '[]', 'Member must have length greater than or equal to 1');
  if (entries.length > PUT_EVENTS_MAX_ENTRIES) {
    throw validation('entries', `${entries.length} entries`, `Member must have length less than or equal to ${PUT_EVENTS_MAX_ENTRIES}`);
  }
  entries.forEach((entry: RequestEntry, index) => {
    const at = (member: string) => `entries.${index + 1}.member.${member}`;
    for (const name of ['Source', 'DetailType', 'Detail', 'EventBusName', 'TraceHeader']) {
      if (entry[name] !== undefined && entry[name] !== null && typeof entry[name] !== 'string') {
        throw new EventBridgeError('SerializationException', `${at(name)}: expected a string, got ${JSON.stringify(entry[name])}`);
      }
    }
    if (entry.Time !== undefined && entry.Time !== null && (typeof entry.Time !== 'number' || !Number.isFinite(entry.Time))) {
      throw new EventBridgeError('SerializationException', `${at('time')}: expected a timestamp (epoch seconds), got ${JSON.stringify(entry.Time)}`);
    }
    const resources = entry.Resources;
    if (resources !== undefined && resources !== null && (!Array.isArray(resources) || resources.some((r) => typeof r !== 'string'))) {
      throw new EventBridgeError('SerializationException', `${at('resources')}: expected a list of strings`);
    }
    (resources as string[] | undefined)?.forEach((resource, r) => {
      if (resource.length > MAX_RESOURCE_CHARACTERS) {
        throw validation(`${at('resources')}.${r + 1}.member`, resource, `Member must have length less than or equal to ${MAX_RESOURCE_CHARACTERS}`);
      }
    });
    const bus = entry.EventBusName as string | undefined;
    if (bus !== undefined && bus !== null) {
      if (bus.length < 1 || bus.length > 1600) throw validation(at('eventBusName'), bus, 'Member must have length between 1 and 1600');
      if (!EVENT_BUS_NAME_PATTERN.test(bus)) throw validation(at('eventBusName'), bus, `Member must satisfy regular expression pattern: ${EVENT_BUS_NAME_PATTERN.source}`);
    }
    const trace = entry.TraceHeader as string | undefined;
    if (trace !== undefined && trace !== null && (trace.length < 1 || trace.length > MAX_TRACE_HEADER_CHARACTERS)) {
      throw validation(at('traceHeader'), trace, `Member must have length between 1 and ${MAX_TRACE_HEADER_CHARACTERS}`);
    }
  });
  const size = entries.reduce((sum: number, entry: RequestEntry) => sum + putEventsEntrySize(entry), 0);
  // "The total entry size must be less than 256KB."
  if (size >= PUT_EVENTS_MAX_BYTES) throw new EventBridgeError('ValidationException', 'Total size of the entries in the request is over the limit.');
  return entries;
}

/** A model constraint's ValidationException, worded as AWS words them. */
function validation(member: string, value: string, constraint: string): EventBridgeError {
  const shown = value.length > 100 ? `${value.slice(0, 100)}...` : value;
  return new EventBridgeError('ValidationException', `1 validation error detected: Value '${shown}' at '${member}' failed to satisfy constraint: ${constraint}`);
}

/**
 * Why EventBridge fails one entry, or undefined when it takes it. An entry without Source,
 * DetailType or Detail fails alone, in its place (an empty one counts as absent, as AWS
 * answers it); when no entry has all three, every entry fails: the whole request fails.
 */
function entryProblem(entry: RequestEntry): ResultEntry | undefined {
  for (const name of ['Source', 'DetailType', 'Detail']) {
    if (typeof entry[name] !== 'string' || entry[name] === '') {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${name} is not valid. Reason: ${name} is a required argument.` };
    }
  }
  if ((entry.DetailType as string).length > MAX_DETAIL_TYPE_CHARACTERS) {
    return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter DetailType is not valid. Reason: DetailType is longer than ${MAX_DETAIL_TYPE_CHARACTERS} characters.` };
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    return malformed();
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail) || deeperThan(detail, MAX_DETAIL_DEPTH)) return malformed();
  return undefined;
}

function malformed(): ResultEntry {
  return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
}

/** Whether a parsed JSON value nests deeper than `limit` levels (1 for an object of plain values), walked without recursion. */
function deeperThan(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [node, level] = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (level > limit) return true;
    for (const child of Object.values(node)) pending.push([child, level + 1]);
  }
  return false;
}

function isoSeconds(time: Date): string {
  return `${time.toISOString().slice(0, 19)}Z`;
}
