/// <reference path="./sdk-endpoint-rules.d.ts" />
import { Sha256 } from '@aws-crypto/sha256-js';
import type * as api from '@aws-sdk/client-workspaces';
import { bdd as workspacesRules } from '@aws-sdk/client-workspaces/dist-cjs/endpoint/bdd';
import { getRetryAfterHint, isClockSkewCorrectedError, isClockSkewError, isThrottlingError } from '@smithy/core/retry';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { ApiRetryOptions, DEFAULT_API_OPTIONS, retryDelayMs } from './api-retry';
import type { CallPacer } from './call-pacer';
import { Service, serviceEndpoint } from './endpoints';
import { HttpRequestError } from './http-request';
import { signedPost } from './signed-post';
import { sleep } from './sleep';

// How the clients retry (core/api-retry.ts), where the clients' users look for it.
export type { ApiRetryOptions };
export { DEFAULT_API_OPTIONS };

/** The account-link operations, with the SDK's types for what they take and answer. */
export interface AccountLinkOperations {
  GetAccountLink: [api.GetAccountLinkRequest, api.GetAccountLinkResult];
  ListAccountLinks: [api.ListAccountLinksRequest, api.ListAccountLinksResult];
  CreateAccountLinkInvitation: [api.CreateAccountLinkInvitationRequest, api.CreateAccountLinkInvitationResult];
  AcceptAccountLinkInvitation: [api.AcceptAccountLinkInvitationRequest, api.AcceptAccountLinkInvitationResult];
  RejectAccountLinkInvitation: [api.RejectAccountLinkInvitationRequest, api.RejectAccountLinkInvitationResult];
  DeleteAccountLinkInvitation: [api.DeleteAccountLinkInvitationRequest, api.DeleteAccountLinkInvitationResult];
}
export type AccountLinkOperation = keyof AccountLinkOperations;

/** An error the WorkSpaces API answered: its name (`ResourceNotFoundException`, ...), message, HTTP status. */
export class WorkSpacesApiError extends Error {
  /**
   * As the SDK's errors carry it: what its error classification reads. `clockSkewCorrected`:
   * the signature was refused for this machine's clock, which the client has since corrected.
   */
  public readonly $metadata: { readonly httpStatusCode: number; clockSkewCorrected?: true };

  constructor(
    name: string,
    message: string,
    public readonly statusCode: number,
    /** The `ResourceId` a ResourceNotFoundException (and some others) carries. */
    public readonly resourceId?: string,
    /** How long the endpoint asked to wait before another attempt (`Retry-After`), if it did. */
    public readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: statusCode };
  }
}

/** An answer that did not come from the WorkSpaces API (an empty 404, a proxy's HTML page). */
export class NotAnApiAnswerError extends Error {
  public readonly $metadata: { readonly httpStatusCode: number };

  constructor(
    endpoint: string,
    public readonly statusCode: number,
    contentType: string | undefined,
    public readonly retryAfterMs?: number,
  ) {
    super(`${endpoint} answered HTTP ${statusCode} ${contentType ? `(${contentType})` : 'with no content type'}, not a WorkSpaces API answer`);
    this.name = 'NotAnApiAnswerError';
    this.$metadata = { httpStatusCode: statusCode };
  }
}

export interface WorkSpacesClientOptions {
  readonly region: string;
  readonly credentials: AwsCredentialIdentityProvider;
  /** How each call is retried; by default DEFAULT_API_OPTIONS. */
  readonly retry?: ApiRetryOptions;
  /** Where the calls go, when the caller has decided it. @default workspacesEndpoint(region) */
  readonly endpoint?: string;
  /** Spaces every attempt (retries too) and learns from throttled answers. @default - no pacing */
  readonly pacer?: CallPacer;
}

/** An AWS JSON API: the name it signs with, its `X-Amz-Target` prefix and its protocol version. */
export interface JsonApi {
  readonly signingName: string;
  readonly targetPrefix: string;
  /** AWS JSON 1.0 (DynamoDB) or 1.1 (WorkSpaces, Organizations): only the content type differs. @default '1.1' */
  readonly jsonVersion?: '1.0' | '1.1';
}

const WORKSPACES_API: JsonApi = { signingName: 'workspaces', targetPrefix: 'WorkspacesService' };

/**
 * An AWS JSON 1.1 API (WorkSpaces' account-link operations, Organizations' listings), as
 * the wire protocol has it (a POST of the input, `X-Amz-Target: <prefix>.<Operation>`,
 * signed with the SDK's own SigV4 signer). A client of its own rather than the SDK's
 * WorkSpacesClient: that one carries the SDK's whole protocol and middleware stack
 * (about 150 KB), which every cold start of the handler would load for six operations of
 * one protocol. `AWS_ENDPOINT_URL_WORKSPACES` (or `AWS_ENDPOINT_URL`) overrides the
 * endpoint, as it does for the SDK.
 *
 * Retries throttling, 5xx, InternalServerException (documented as HTTP 400), timeouts
 * and connection errors with backoff; other 4xx errors are final. Every operation is
 * safe to repeat: reads are reads, Create/Accept/Reject carry a ClientToken, and a
 * repeated Delete's ResourceNotFoundException is handled by its caller.
 */
export class JsonApiClient<Operations extends { [K in keyof Operations]: [object, object] }> {
  /** Where the calls go. */
  public readonly endpoint: string;
  private readonly region: string;
  private readonly credentials: AwsCredentialIdentityProvider;
  private readonly retry: ApiRetryOptions;
  private readonly pacer?: CallPacer;
  /**
   * How far the endpoint's clock is ahead of this machine's, as the SDK corrects it: set
   * from the `Date` of an answer that refused a signature as expired or early.
   */
  private clockOffsetMs = 0;

  constructor(options: WorkSpacesClientOptions & { readonly endpoint: string }, private readonly api: JsonApi) {
    this.endpoint = options.endpoint;
    this.retry = options.retry ?? DEFAULT_API_OPTIONS;
    this.pacer = options.pacer;
    this.region = options.region;
    this.credentials = reuse(options.credentials);
  }

  /**
   * One operation, with its retries (see ApiRetryOptions); a throttled call is retried no
   * later than `retryUntil` (ms since the epoch). The credentials are resolved for the call,
   * under its signal and `retryUntil` (an assumed role's STS call honours both, with retries
   * of its own), and their error is final. `beforeAttempt` runs before each attempt is sent,
   * once its turn with the pacer came: a caller's check that must hold when the request
   * leaves (a fence), with no turn's wait or earlier attempt's backoff between; its error is
   * thrown as it is, and no request leaves. Rejects with a WorkSpacesApiError, a
   * NotAnApiAnswerError, an HttpRequestError, the credentials' error, `beforeAttempt`'s or
   * the signal's reason.
   */
  public async send<K extends keyof Operations & string>(
    operation: K, input: Operations[K][0], signal?: AbortSignal, retryUntil = Infinity, beforeAttempt?: () => Promise<void>,
  ): Promise<Operations[K][1]> {
    const body = JSON.stringify(input);
    const throttledUntil = Math.min(retryUntil, Date.now() + this.retry.throttledForMs);
    let otherFailures = 0;
    for (let attempt = 1; ; attempt++) {
      const identity = await this.credentials({ signal, until: retryUntil } satisfies CredentialCall);
      await this.pacer?.take(signal);
      await beforeAttempt?.();
      try {
        const answer = await this.attempt(operation, body, identity, signal) as Operations[K][1];
        this.pacer?.answered(false);
        return answer;
      } catch (error) {
        if (signal?.aborted) throw error;
        const throttled = isThrottled(error);
        this.pacer?.answered(throttled);
        if (!throttled && (!isRetryable(error) || ++otherFailures >= this.retry.attempts)) throw this.lastError(error, attempt);
        const delay = Math.max(retryDelayMs(this.retry, attempt, throttled), (error as { retryAfterMs?: number }).retryAfterMs ?? 0);
        if (throttled && Date.now() + delay > throttledUntil) throw this.lastError(error, attempt);
        await sleep(delay, signal);
      }
    }
  }

  /** The error of the last attempt, saying where the calls went and how many there were. */
  private lastError(error: unknown, attempts: number): unknown {
    if (attempts === 1) return error;
    if (error instanceof HttpRequestError) {
      // A wrong endpoint override or a blocked network shows here.
      return new HttpRequestError(`no answer from ${this.endpoint} in ${attempts} attempts: ${error.message}`, error.connected);
    }
    if (error instanceof WorkSpacesApiError && isThrottled(error)) {
      return new WorkSpacesApiError(error.name, `${error.message} (throttled on each of ${attempts} attempts)`, error.statusCode, error.resourceId, error.retryAfterMs);
    }
    return error;
  }

  private async attempt(operation: string, body: string, identity: AwsCredentialIdentity, signal: AbortSignal | undefined): Promise<unknown> {
    const signer = new SignatureV4({ service: this.api.signingName, region: this.region, credentials: identity, sha256: Sha256 });
    const answer = await signedPost(signer, {
      url: new URL(this.endpoint),
      headers: {
        'content-type': `application/x-amz-json-${this.api.jsonVersion ?? '1.1'}`,
        'x-amz-target': `${this.api.targetPrefix}.${operation}`,
        'user-agent': 'cdk-workspaces-account-links',
      },
      body,
      timeoutMs: this.retry.attemptTimeoutMs,
      signal,
      signingDate: new Date(Date.now() + this.clockOffsetMs),
    });
    const parsed = parseJson(answer.body);
    const isJson = /json/i.test(answer.headers['content-type'] ?? '') && parsed !== undefined && typeof parsed === 'object' && parsed !== null;
    if (answer.statusCode === 200 && isJson) return parsed;
    // An operation's output with no members, as the SDK reads an empty 200.
    if (answer.statusCode === 200 && answer.body.trim() === '') return {};
    const retryAfter = getRetryAfterHint(answer);
    const retryAfterMs = retryAfter ? Math.max(0, retryAfter.getTime() - Date.now()) : undefined;
    const fields = (isJson ? lowerCaseKeys(parsed as Record<string, unknown>) : {});
    const name = errorName(answer.headers['x-amzn-errortype']) ?? errorName(fields.__type) ?? errorName(fields.code);
    if (!name) throw new NotAnApiAnswerError(this.endpoint, answer.statusCode, answer.headers['content-type'], retryAfterMs);
    const message = fields.message;
    const error = new WorkSpacesApiError(name, typeof message === 'string' ? message : name, answer.statusCode,
      typeof fields.resourceid === 'string' ? fields.resourceid : undefined, retryAfterMs);
    // Signed with a clock the endpoint disagrees with: the next attempt signs with its time.
    // (isClockSkewError: the SDK's names for a request signed at a time the endpoint does not accept.)
    if (isClockSkewError(error as never) && this.correctClock(answer.headers.date)) error.$metadata.clockSkewCorrected = true;
    throw error;
  }

  /**
   * The SDK's correction: when the endpoint's `Date` is 5 minutes or more away from this
   * machine's (corrected) time, sign from then on with the endpoint's time. True when it
   * corrected.
   */
  private correctClock(date: string | undefined): boolean {
    const serverTime = date ? Date.parse(date) : NaN;
    if (Number.isNaN(serverTime) || Math.abs(serverTime - (Date.now() + this.clockOffsetMs)) < CLOCK_SKEW_LIMIT_MS) return false;
    this.clockOffsetMs = serverTime - Date.now();
    return true;
  }
}

/** The WorkSpaces API's account-link operations (see JsonApiClient). */
export class WorkSpacesClient extends JsonApiClient<AccountLinkOperations> {
  constructor(options: WorkSpacesClientOptions) {
    super({ ...options, endpoint: options.endpoint ?? workspacesEndpoint(options.region) }, WORKSPACES_API);
  }
}

/** How far apart two clocks may be before the SDK corrects its own: SigV4 accepts 5 minutes. */
const CLOCK_SKEW_LIMIT_MS = 5 * 60_000;

/** WorkSpaces, for its endpoints. */
export const WORKSPACES_SERVICE: Service = { name: 'workspaces', rules: workspacesRules };

/** The Region's WorkSpaces endpoint (FIPS, dual-stack or an override), as the SDK decides it. */
export function workspacesEndpoint(region: string): string {
  return serviceEndpoint(WORKSPACES_SERVICE, region);
}

/**
 * The error's name in an AWS JSON answer, as the SDK reads it: `__type` or the
 * `x-amzn-errortype` header may be namespaced (`com.amazonaws.workspaces#ConflictException`),
 * carry a URL after a colon, or (the header) list several, comma-separated: the first counts.
 * Undefined when it does not parse, so that the next source is read.
 */
function errorName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.split(',')[0].split(':')[0].split('#').pop()!.trim();
  return /^[A-Za-z][A-Za-z0-9_.]*$/.test(name) ? name : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Error names another attempt may fix besides throttling: InternalServerException
 * (documented as HTTP 400, which the SDK's standard retry does not retry) and the SDK's
 * transient names (its TRANSIENT_ERROR_CODES).
 */
const RETRYABLE_ERROR_NAMES = new Set(['InternalServerException', 'RequestTimeout', 'RequestTimeoutException', 'TimeoutError']);

/** Throttling, as the SDK's error classification has it (HTTP 429, or one of its throttling error names). */
export function isThrottled(error: unknown): boolean {
  return (error instanceof WorkSpacesApiError || error instanceof NotAnApiAnswerError) && isThrottlingError(error as never);
}

/** What another attempt may fix: throttling, the service failing, no (complete) answer, a clock since corrected. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof HttpRequestError || isThrottled(error)) return true;
  if (error instanceof NotAnApiAnswerError || error instanceof WorkSpacesApiError) {
    return error.statusCode >= 500 || RETRYABLE_ERROR_NAMES.has(error.name) || isClockSkewCorrectedError(error as never) === true;
  }
  return false;
}

/** An error object's keys in lower case: the `Code`, `Message` or `resourceId` an endpoint writes in another case. */
function lowerCaseKeys(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key.toLowerCase(), value]));
}

/**
 * What a client passes its credentials provider for each call (as the identity properties
 * the SDK's providers take): a provider that calls out (STS, for an assumed role) stops when
 * the signal aborts and gives up by `until` (ms since the epoch), so that fetching
 * credentials never outlasts the call it is for. Providers that read the environment ignore it.
 */
export interface CredentialCall {
  readonly signal?: AbortSignal;
  readonly until?: number;
}

/** Five minutes: credentials that expire sooner are fetched again, so a long wait never signs with expired ones. */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * Fetches credentials once and again only near their expiry (an assumed role's last an
 * hour); a failed fetch is not kept. A fetch under way is shared: a call that joins it and
 * sees it fail (another call's signal aborted it, say) fetches again under its own.
 */
function reuse(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  return async (call?: CredentialCall) => {
    const kept = current && await current.catch(() => undefined);
    if (kept && !(kept.expiration && kept.expiration.getTime() - Date.now() < REFRESH_BEFORE_EXPIRY_MS)) return kept;
    current = provider(call);
    return current;
  };
}
