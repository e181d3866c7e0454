import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { AccountLinkStatus } from '../account-link-status';
import { ACCOUNT_ID_PATTERN, LINK_ID_PATTERN } from '../contract';
import { applyOrganizationChange, CONTROL_PATHS, ControlError } from './control';
import { EmulatedEventBus, EVENTS_TARGET_PREFIX, EventBridgeError, EventsFault, ReceivedEvent } from './event-bus';
import { checkLinks, EmulatedAccountLink } from './links-file';
import { EmulatedOrganization, ORGANIZATIONS_TARGET_PREFIX, OrganizationsError, OrganizationTree } from './organization';

/** The `X-Amz-Target` prefix of the WorkSpaces JSON 1.1 protocol. */
export const TARGET_PREFIX = 'WorkspacesService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** The largest request body served: WorkSpaces' account-link requests are a few hundred bytes. */
export const MAX_BODY_BYTES = 64 * 1024;
/**
 * The largest PutEvents body served: its entries may total almost 256 KB, and JSON escapes
 * a Detail's quotes and control characters in the body (up to 6 bytes for one).
 */
export const MAX_EVENTS_BODY_BYTES = 2 * 1024 * 1024;
const STATUSES = new Set<string>(Object.values(AccountLinkStatus));

/** A request the emulator received, for tests to assert on. */
export interface RecordedRequest {
  readonly operation: string;
  readonly input: Record<string, unknown>;
  /** Access key id from the SigV4 Authorization header, if signed. */
  readonly accessKeyId?: string;
}

/** An error the emulator answers instead of serving the next request(s). */
export interface InjectedFault {
  /** The error's `__type`, e.g. `InternalServerException`, `ThrottlingException`, `AccessDeniedException`. */
  readonly type: string;
  /** HTTP status. @default 400 */
  readonly httpStatus?: number;
  readonly message?: string;
}

export interface EmulatorOptions {
  /** Links, in the order ListAccountLinks returns them. */
  readonly links: EmulatedAccountLink[];
  /** @default 0 (any free port) */
  readonly port?: number;
  /** Loopback only by default. @default 127.0.0.1 */
  readonly host?: string;
  /**
   * The account of each caller, by the access key id its requests are signed with. With
   * it, a caller sees only the links its account is on, and may create, accept, reject
   * and delete invitations as that account. Without it, every caller sees every link and
   * writes are refused.
   * @default - no accounts
   */
  readonly accounts?: Record<string, string>;
  /**
   * A request-rate limit, as the service has one: past it, requests are answered
   * `ThrottlingException` (HTTP 400), so a stack can be tried under throttling.
   * @default - no limit
   */
  readonly rateLimit?: RateLimit;
  /**
   * An organization tree: with it, the emulator also answers AWS Organizations'
   * DescribeOrganization, ListAccountsForParent and ListOrganizationalUnitsForParent
   * (`X-Amz-Target: AWSOrganizationsV20161128.<Operation>`; point a client at it with
   * `AWS_ENDPOINT_URL_ORGANIZATIONS`), under `rateLimit` too (its own bucket, answering
   * TooManyRequestsException as Organizations does). The emulator's `organization` changes it
   * while it runs.
   * @default - no organization
   */
  readonly organization?: EmulatedOrganization;
  /**
   * How long a CreateAccountLinkInvitation ClientToken answers the invitation it created,
   * in milliseconds; past it, the token is forgotten: a Create with it is a new request
   * (ConflictException while that target has an open invitation or link from the caller,
   * else a new invitation). WorkSpaces documents the token only as what it "uses to ensure
   * idempotent creation", for no stated time, and AWS services that state one keep tokens
   * for hours (8 hours, 24 hours), not forever: code that relies on a token after a long
   * wait can be tried against a short lifetime, or `forgetClientTokens()`.
   * @default - forever (a token answers its invitation, a deleted one as LINK_NOT_FOUND)
   */
  readonly clientTokenLifetimeMs?: number;
}

/** A token bucket: `perSecond` requests a second on average, `burst` at once. */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

/** Admits requests at a rate: tokens refill continuously up to the burst, one a request. */
class TokenBucket {
  private tokens: number;
  private refilledAt = Date.now();

  constructor(private readonly limit: RateLimit) {
    if (!(limit.perSecond > 0) || !(limit.burst >= 1)) throw new Error(`a rate limit needs perSecond > 0 and burst >= 1, got ${JSON.stringify(limit)}`);
    this.tokens = limit.burst;
  }

  public take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.limit.perSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

class ServiceError extends Error {
  constructor(readonly type: string, message: string, readonly httpStatus = 400, readonly extra: Record<string, string> = {}) {
    super(message);
  }
}

/**
 * A WorkSpaces account-links emulator speaking the JSON 1.1 wire protocol the AWS SDK
 * speaks (POST `/`, `X-Amz-Target: WorkspacesService.<Operation>`), with the service
 * model's input validation and NextToken pagination. Point a client at it with
 * `AWS_ENDPOINT_URL_WORKSPACES=<endpoint>`.
 *
 * It also answers EventBridge's PutEvents (`X-Amz-Target: AWSEvents.PutEvents`; point a
 * client at it with `AWS_ENDPOINT_URL_EVENTBRIDGE`), keeping the events it accepts
 * (`events`), and two calls of its own (CONTROL_PATHS): POST `/_emulator/organization`
 * changes its organization, GET `/_emulator/events` lists the events.
 */
export class AccountLinksEmulator {
  /** Starts an emulator serving `options.links`. */
  public static async start(options: EmulatorOptions): Promise<AccountLinksEmulator> {
    const lifetime = options.clientTokenLifetimeMs;
    if (lifetime !== undefined && !(lifetime >= 0)) throw new Error(`clientTokenLifetimeMs must be 0 or more, got ${lifetime}`);
    const bucket = () => options.rateLimit && new TokenBucket(options.rateLimit);
    const emulator = new AccountLinksEmulator(checkLinks(options.links), options.accounts, bucket(),
      options.organization && new OrganizationTree(options.organization), bucket(), lifetime ?? Infinity);
    await new Promise<void>((resolve, reject) => {
      emulator.server.once('error', reject);
      emulator.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    return emulator;
  }

  /** Every WorkSpaces and Organizations request received, in order. */
  public readonly requests: RecordedRequest[] = [];
  /** Every PutEvents request received, in order (accepted or not). */
  public readonly eventsRequests: RecordedRequest[] = [];
  private readonly eventBus = new EmulatedEventBus();
  private readonly server: Server;
  private readonly links: EmulatedAccountLink[];
  private readonly reads = new Map<string, number>();
  /** Statuses set by accept and reject, which end a link's status sequence. */
  private readonly statuses = new Map<string, string>();
  /** CreateAccountLinkInvitation's ClientToken → the link it created, and when. */
  private readonly tokens = new Map<string, { linkId: string; createdAt: number }>();
  /** Invitations deleted, as a token that created one still answers them. */
  private readonly deleted = new Map<string, EmulatedAccountLink>();
  private readonly accounts?: Record<string, string>;
  private readonly faults: InjectedFault[] = [];
  private delayMs = 0;
  private delayedOperation?: string;
  /** Each request's delay, by its response (fixed when the request arrives). */
  private readonly delays = new WeakMap<ServerResponse, number>();
  /** Requests answered ThrottlingException by the rate limit. */
  public throttled = 0;

  private constructor(links: EmulatedAccountLink[], accounts?: Record<string, string>, private readonly bucket?: TokenBucket,
    /** The organization it serves, to change while it runs (accounts join, move and leave; units come and go); undefined without one. */
    public readonly organization?: OrganizationTree, private readonly organizationsBucket?: TokenBucket,
    private readonly clientTokenLifetimeMs = Infinity) {
    this.links = [...links];
    this.accounts = accounts;
    // A client that goes away mid-request, or sends what cannot be read, ends its own
    // request only: the server stays up for the others.
    this.server = createServer((req, res) => void this.serve(req, res).catch(() => res.destroy()));
  }

  /** Base URL, e.g. `http://127.0.0.1:4566`. */
  public get endpoint(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address}:${port}`;
  }

  /** The events PutEvents accepted, in order, as EventBridge delivers them to a rule's target. */
  public get events(): ReceivedEvent[] {
    return this.eventBus.events;
  }

  /**
   * How PutEvents fails from now on (see EventsFault): `'throttle'` answers each call
   * ThrottlingException, `'throttle-entries'` fails each entry, ...; undefined serves it again.
   */
  public get eventsFault(): EventsFault | undefined {
    return this.eventBus.currentFault;
  }

  public set eventsFault(fault: EventsFault | undefined) {
    this.eventBus.failPutEvents(fault);
  }

  /** Fails only the next `calls` PutEvents calls as `fault` says, then serves them again. */
  public failPutEvents(fault: EventsFault, calls: number): void {
    this.eventBus.failPutEvents(fault, calls);
  }

  /** Answers the next requests with these errors, one each, before serving normally again. */
  public injectFaults(...faults: InjectedFault[]): void {
    this.faults.push(...faults);
  }

  /**
   * Delays every answer by `ms` (a slow endpoint), or only the answers to `operation`'s
   * requests, which are carried out at once all the same (answers that come too late).
   */
  public setDelay(ms: number, operation?: string): void {
    this.delayMs = ms;
    this.delayedOperation = operation;
  }

  /**
   * Forgets every ClientToken CreateAccountLinkInvitation took so far, as the service does
   * once a token's time is over: a Create with one of them is a new request.
   */
  public forgetClientTokens(): void {
    this.tokens.clear();
  }

  /** Every link it holds now, with its status, as the API would answer it (without moving a status sequence on). */
  public snapshot(): Array<{ AccountLinkId: string; AccountLinkStatus: string; SourceAccountId: string; TargetAccountId: string }> {
    return this.links.map((l) => ({
      AccountLinkId: l.AccountLinkId,
      AccountLinkStatus: this.currentStatus(l),
      SourceAccountId: l.SourceAccountId,
      TargetAccountId: l.TargetAccountId,
    }));
  }

  /** Requests received for one operation. */
  public callsTo(operation: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  public async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const events = target.startsWith(EVENTS_TARGET_PREFIX);
    const maxBytes = events ? MAX_EVENTS_BODY_BYTES : MAX_BODY_BYTES;
    const body = await readBody(req, maxBytes);
    if (body === undefined) {
      // Answer, then close the connection instead of reading the rest.
      res.on('finish', () => req.destroy());
      res.writeHead(413, { 'content-type': CONTENT_TYPE, 'connection': 'close' });
      res.end(JSON.stringify({ __type: 'SerializationException', message: `the request body is over ${maxBytes} bytes` }));
      return;
    }
    if (req.url?.startsWith('/_emulator/')) return this.serveControl(req, res, body);
    const organizations = this.organization !== undefined && target.startsWith(ORGANIZATIONS_TARGET_PREFIX);
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length)
      : organizations ? target.slice(ORGANIZATIONS_TARGET_PREFIX.length)
        : events ? target.slice(EVENTS_TARGET_PREFIX.length) : target;
    const recorded = events ? this.eventsRequests : this.requests;
    let input: Record<string, unknown> = {};
    try {
      if (req.method !== 'POST' || req.url !== '/') {
        throw new ServiceError('UnknownOperationException', `expected POST /, got ${req.method} ${req.url}`, 404);
      }
      input = body.length > 0 ? JSON.parse(body) : {};
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new ServiceError('SerializationException', 'the body must be a JSON object');
      }
    } catch (error) {
      recorded.push({ operation, input: {}, accessKeyId: accessKeyId(req) });
      return this.answer(res, error instanceof ServiceError ? error : new ServiceError('SerializationException', 'the body is not JSON'));
    }
    recorded.push({ operation, input, accessKeyId: accessKeyId(req) });
    this.delays.set(res, this.delayedOperation === undefined || this.delayedOperation === operation ? this.delayMs : 0);
    if (organizations) return this.serveOrganizations(res, operation, input);
    if (events) return this.serveEvents(req, res, operation, input);
    if (this.bucket && !this.bucket.take()) {
      this.throttled++;
      return this.answer(res, new ServiceError('ThrottlingException', 'Rate exceeded'));
    }
    const fault = this.faults.shift();
    if (fault) {
      return this.answer(res, new ServiceError(fault.type, fault.message ?? `injected ${fault.type}`, fault.httpStatus ?? 400));
    }
    try {
      const caller = this.callerAccount(req);
      switch (operation) {
        case 'GetAccountLink':
          return await this.answer(res, this.getAccountLink(input, caller));
        case 'ListAccountLinks':
          return await this.answer(res, this.listAccountLinks(input, caller));
        case 'CreateAccountLinkInvitation':
          return await this.answer(res, this.createInvitation(input, this.writer(caller)));
        case 'AcceptAccountLinkInvitation':
          return await this.answer(res, this.answerInvitation(input, this.writer(caller), AccountLinkStatus.LINKED));
        case 'RejectAccountLinkInvitation':
          return await this.answer(res, this.answerInvitation(input, this.writer(caller), AccountLinkStatus.REJECTED));
        case 'DeleteAccountLinkInvitation':
          return await this.answer(res, this.deleteInvitation(input, this.writer(caller)));
        default:
          throw new ServiceError('UnknownOperationException', `unknown operation ${JSON.stringify(target)}`);
      }
    } catch (error) {
      return this.answer(res, error instanceof ServiceError ? error : new ServiceError('InternalServerException', String(error), 500));
    }
  }

  /** Organizations' operations, under their own rate limit. */
  private async serveOrganizations(res: ServerResponse, operation: string, input: Record<string, unknown>): Promise<void> {
    if (this.organizationsBucket && !this.organizationsBucket.take()) {
      this.throttled++;
      return this.answer(res, new ServiceError('TooManyRequestsException',
        'AWS Organizations can\'t complete your request because another request is already in progress. Try again later.'));
    }
    try {
      return await this.answer(res, this.organization!.answer(operation, input));
    } catch (error) {
      return this.answer(res, error instanceof OrganizationsError
        ? new ServiceError(error.type, error.message) : new ServiceError('ServiceException', String(error), 500));
    }
  }

  /**
   * EventBridge's PutEvents, outside WorkSpaces' rate limit and injected faults (its own
   * are `eventsFault`). The caller's account is the one its access key is, when the
   * emulator knows it; an unknown key is not refused, as events need no account here.
   */
  private async serveEvents(req: IncomingMessage, res: ServerResponse, operation: string, input: Record<string, unknown>): Promise<void> {
    const key = accessKeyId(req);
    const caller = { account: key === undefined ? undefined : this.accounts?.[key], region: signatureRegion(req) };
    try {
      return await this.answer(res, this.eventBus.answer(operation, input, caller));
    } catch (error) {
      return this.answer(res, error instanceof EventBridgeError
        ? new ServiceError(error.type, error.message, error.httpStatus) : new ServiceError('InternalException', String(error), 500));
    }
  }

  /** The emulator's own calls (CONTROL_PATHS), answered in plain JSON: `{ "error": ... }` when refused. */
  private serveControl(req: IncomingMessage, res: ServerResponse, body: string): void {
    const reply = (status: number, payload: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    const path = req.url!.split('?')[0];
    const methods: Record<string, string> = { [CONTROL_PATHS.ORGANIZATION]: 'POST', [CONTROL_PATHS.EVENTS]: 'GET' };
    if (!(path in methods)) return reply(404, { error: `no control call ${path}: the emulator has ${Object.entries(methods).map(([p, m]) => `${m} ${p}`).join(', ')}` });
    if (req.method !== methods[path]) return reply(405, { error: `${path} takes ${methods[path]}, not ${req.method}` });
    if (path === CONTROL_PATHS.EVENTS) return reply(200, { Events: this.events });
    try {
      return reply(200, applyOrganizationChange(this.organization, body));
    } catch (error) {
      return reply(error instanceof ControlError ? error.httpStatus : 500, { error: (error as Error).message });
    }
  }

  /** The caller's account, when the emulator knows its accounts; undefined sees everything. */
  private callerAccount(req: IncomingMessage): string | undefined {
    if (!this.accounts) return undefined;
    const key = accessKeyId(req);
    const account = key === undefined ? undefined : this.accounts[key];
    if (account === undefined) {
      throw new ServiceError('UnrecognizedClientException', `The security token included in the request is invalid (access key ${key})`);
    }
    return account;
  }

  private writer(caller: string | undefined): string {
    if (caller === undefined) {
      throw new ServiceError('AccessDeniedException', 'this emulator takes writes only when started with accounts');
    }
    return caller;
  }

  /** Links the caller may see: those its account is on. */
  private visible(caller: string | undefined): EmulatedAccountLink[] {
    return caller === undefined ? this.links : this.links.filter((l) => l.SourceAccountId === caller || l.TargetAccountId === caller);
  }

  private findLink(linkId: unknown, caller: string | undefined): EmulatedAccountLink {
    checkPattern('LinkId', linkId, LINK_ID_PATTERN);
    if (linkId === undefined) throw new ServiceError('ValidationException', 'LinkId is required');
    const link = this.visible(caller).find((l) => l.AccountLinkId === linkId);
    if (!link) throw new ServiceError('ResourceNotFoundException', 'The resource could not be found.', 400, { ResourceId: String(linkId) });
    return link;
  }

  private createInvitation(input: Record<string, unknown>, caller: string): object {
    const { TargetAccountId: target, ClientToken: token } = input;
    checkPattern('TargetAccountId', target, ACCOUNT_ID_PATTERN);
    if (target === undefined) throw new ServiceError('ValidationException', 'TargetAccountId is required');
    if (token !== undefined && (typeof token !== 'string' || token.length < 1 || token.length > 64)) {
      throw new ServiceError('ValidationException', 'ClientToken must have 1 to 64 characters');
    }
    if (target === caller) throw new ServiceError('ValidationException', 'The source and target accounts must differ.');
    // As AWS idempotency tokens do: a token answers the invitation it created, whatever
    // became of it since (a deleted one as LINK_NOT_FOUND), and creates no other, for its
    // lifetime; a forgotten one is a new request.
    const earlierId = token === undefined ? undefined : this.rememberedToken(token as string);
    if (earlierId !== undefined) {
      const earlier = this.links.find((l) => l.AccountLinkId === earlierId);
      const gone = this.deleted.get(earlierId);
      if ((earlier ?? gone)!.TargetAccountId !== target) {
        throw new ServiceError('ConflictException', 'The ClientToken was used with other parameters.');
      }
      const deleted = { ...gone, AccountLinkStatus: AccountLinkStatus.LINK_NOT_FOUND, StatusSequence: undefined };
      return { AccountLink: earlier ? this.read(earlier) : deleted };
    }
    const open = this.links.find((l) => [l.SourceAccountId, l.TargetAccountId].sort().join() === [caller, target].sort().join()
      && [AccountLinkStatus.LINKED, AccountLinkStatus.PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT].includes(this.currentStatus(l) as AccountLinkStatus));
    if (open) {
      throw new ServiceError('ConflictException', `Account ${target} is already linked or invited (${open.AccountLinkId}).`);
    }
    const link: EmulatedAccountLink = {
      AccountLinkId: `link-${randomBytes(4).toString('hex')}`,
      AccountLinkStatus: AccountLinkStatus.PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT,
      SourceAccountId: caller,
      TargetAccountId: target as string,
    };
    this.links.push(link);
    if (token !== undefined) this.tokens.set(token as string, { linkId: link.AccountLinkId, createdAt: Date.now() });
    return { AccountLink: this.read(link) };
  }

  /** The link a ClientToken created, while the token lives. */
  private rememberedToken(token: string): string | undefined {
    const remembered = this.tokens.get(token);
    if (remembered === undefined) return undefined;
    if (Date.now() - remembered.createdAt >= this.clientTokenLifetimeMs) {
      this.tokens.delete(token);
      return undefined;
    }
    return remembered.linkId;
  }

  private answerInvitation(input: Record<string, unknown>, caller: string, answer: AccountLinkStatus): object {
    const link = this.findLink(input.LinkId, caller);
    if (link.TargetAccountId !== caller) {
      throw new ServiceError('AccessDeniedException', `Only the target account ${link.TargetAccountId} can answer the invitation.`);
    }
    const status = this.currentStatus(link);
    if (status !== AccountLinkStatus.PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT) {
      throw new ServiceError('ConflictException', `The link is ${status}, not pending acceptance.`);
    }
    this.statuses.set(link.AccountLinkId, answer);
    return { AccountLink: this.read(link) };
  }

  private deleteInvitation(input: Record<string, unknown>, caller: string): object {
    const link = this.findLink(input.LinkId, caller);
    if (link.SourceAccountId !== caller) {
      throw new ServiceError('AccessDeniedException', `Only the source account ${link.SourceAccountId} can delete the invitation.`);
    }
    const status = this.currentStatus(link);
    if (status === AccountLinkStatus.LINKED) {
      throw new ServiceError('ConflictException', 'A LINKED account link cannot be deleted.');
    }
    this.links.splice(this.links.indexOf(link), 1);
    this.deleted.set(link.AccountLinkId, link);
    return { AccountLink: { ...this.read(link), AccountLinkStatus: AccountLinkStatus.LINK_NOT_FOUND } };
  }

  private getAccountLink(input: Record<string, unknown>, caller: string | undefined): object {
    const { LinkId: linkId, LinkedAccountId: accountId } = input;
    checkPattern('LinkId', linkId, LINK_ID_PATTERN);
    checkPattern('LinkedAccountId', accountId, ACCOUNT_ID_PATTERN);
    if (linkId === undefined && accountId === undefined) {
      throw new ServiceError('ValidationException', 'either LinkId or LinkedAccountId is required');
    }
    const link = this.visible(caller).find((l) => linkId !== undefined
      ? l.AccountLinkId === linkId
      : l.SourceAccountId === accountId || l.TargetAccountId === accountId);
    if (!link) {
      const id = String(linkId ?? accountId);
      throw new ServiceError('ResourceNotFoundException', 'The resource could not be found.', 400, { ResourceId: id });
    }
    return { AccountLink: this.read(link) };
  }

  private listAccountLinks(input: Record<string, unknown>, caller: string | undefined): object {
    const { LinkStatusFilter: filter, NextToken: nextToken, MaxResults: maxResults } = input;
    if (maxResults !== undefined && (!Number.isInteger(maxResults) || (maxResults as number) < 1 || (maxResults as number) > 25)) {
      throw new ServiceError('ValidationException', `MaxResults ${JSON.stringify(maxResults)} must be an integer from 1 to 25`);
    }
    if (filter !== undefined && (!Array.isArray(filter) || filter.some((s) => !STATUSES.has(s)))) {
      throw new ServiceError('ValidationException', `LinkStatusFilter ${JSON.stringify(filter)} must hold only ${[...STATUSES].join(', ')}`);
    }
    const start = nextToken === undefined ? 0 : decodeToken(nextToken);
    const pageSize = (maxResults as number | undefined) ?? 25;
    // The filter applies to the status each link has now, before this read moves it on.
    const matching = this.visible(caller).filter((l) => filter === undefined || (filter as string[]).includes(this.currentStatus(l)));
    const page = matching.slice(start, start + pageSize).map((l) => this.read(l));
    const next = start + pageSize < matching.length ? encodeToken(start + pageSize) : undefined;
    return { AccountLinks: page, ...(next ? { NextToken: next } : {}) };
  }

  private currentStatus(link: EmulatedAccountLink): string {
    const answered = this.statuses.get(link.AccountLinkId);
    if (answered !== undefined) return answered;
    const sequence = link.StatusSequence ?? [link.AccountLinkStatus!];
    return sequence[Math.min(this.reads.get(link.AccountLinkId) ?? 0, sequence.length - 1)];
  }

  /** The link as the API returns it; moves its status sequence on by one. */
  private read(link: EmulatedAccountLink): object {
    const status = this.currentStatus(link);
    this.reads.set(link.AccountLinkId, (this.reads.get(link.AccountLinkId) ?? 0) + 1);
    return {
      AccountLinkId: link.AccountLinkId,
      AccountLinkStatus: status,
      SourceAccountId: link.SourceAccountId,
      TargetAccountId: link.TargetAccountId,
    };
  }

  private async answer(res: ServerResponse, result: object): Promise<void> {
    const delayMs = this.delays.get(res) ?? this.delayMs;
    if (delayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    if (res.destroyed) {
      return;
    }
    const error = result instanceof ServiceError ? result : undefined;
    const payload = error ? { __type: error.type, message: error.message, ...error.extra } : result;
    res.writeHead(error ? error.httpStatus : 200, { 'content-type': CONTENT_TYPE });
    res.end(JSON.stringify(payload));
  }
}

function checkPattern(name: string, value: unknown, pattern: RegExp): void {
  if (value !== undefined && (typeof value !== 'string' || !pattern.test(value))) {
    throw new ServiceError('ValidationException', `${name} ${JSON.stringify(value)} does not match ${pattern.source}`);
  }
}

// NextToken is opaque to clients; here it is the offset of the next page.
function encodeToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

function decodeToken(token: unknown): number {
  const match = typeof token === 'string' ? /^offset:(\d+)$/.exec(Buffer.from(token, 'base64').toString()) : null;
  if (!match) {
    throw new ServiceError('ValidationException', `NextToken ${JSON.stringify(token)} is not valid`);
  }
  return Number(match[1]);
}

function accessKeyId(req: IncomingMessage): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
}

/** The Region of a SigV4 signature's scope (`Credential=<key>/<date>/<region>/<service>/aws4_request`). */
function signatureRegion(req: IncomingMessage): string | undefined {
  return /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
}

/**
 * The request body, or undefined when it grows past `maxBytes`; rejects when the client
 * aborts it.
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('aborted', () => reject(new Error('the client aborted the request')));
    req.on('error', reject);
  });
}
