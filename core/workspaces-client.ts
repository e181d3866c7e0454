import { Sha256 } from '@aws-crypto/sha256-js';
import type * as api from '@aws-sdk/client-workspaces';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { serviceEndpoint } from './endpoints';
import { HttpRequestError } from './http-request';
import { backoffMs, RetryOptions } from './retry-options';
import { signedPost } from './signed-post';
import { sleep } from './sleep';

/**
 * Each call: four attempts of at most 5 s, 0.2 + 0.4 + 0.8 s of backoff. In the handler,
 * the deadline guard, not this worst case, bounds a read that the service keeps failing.
 */
export const DEFAULT_API_OPTIONS: RetryOptions = { attempts: 4, baseDelayMs: 200, attemptTimeoutMs: 5_000 };

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
  constructor(
    name: string,
    message: string,
    public readonly statusCode: number,
    /** The `ResourceId` a ResourceNotFoundException (and some others) carries. */
    public readonly resourceId?: string,
  ) {
    super(message);
    this.name = name;
  }
}

/** An answer that did not come from the WorkSpaces API (an empty 404, a proxy's HTML page). */
export class NotAnApiAnswerError extends Error {
  constructor(endpoint: string, public readonly statusCode: number, contentType: string | undefined) {
    super(`${endpoint} answered HTTP ${statusCode} ${contentType ? `(${contentType})` : 'with no content type'}, not a WorkSpaces API answer`);
    this.name = 'NotAnApiAnswerError';
  }
}

export interface WorkSpacesClientOptions {
  readonly region: string;
  readonly credentials: AwsCredentialIdentityProvider;
  /** How each call is retried; by default DEFAULT_API_OPTIONS. */
  readonly retry?: RetryOptions;
}

/**
 * The WorkSpaces API's account-link operations, as the service's wire protocol has them
 * (AWS JSON 1.1: a POST of the input, `X-Amz-Target: WorkspacesService.<Operation>`,
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
export class WorkSpacesClient {
  /** Where the calls go. */
  public readonly endpoint: string;
  private readonly signer: SignatureV4;
  private readonly retry: RetryOptions;

  constructor(options: WorkSpacesClientOptions) {
    this.endpoint = workspacesEndpoint(options.region);
    this.retry = options.retry ?? DEFAULT_API_OPTIONS;
    this.signer = new SignatureV4({ service: 'workspaces', region: options.region, credentials: reuse(options.credentials), sha256: Sha256 });
  }

  /** One operation, with its retries; rejects with a WorkSpacesApiError, a NotAnApiAnswerError, an HttpRequestError or the signal's reason. */
  public async send<K extends AccountLinkOperation>(
    operation: K, input: AccountLinkOperations[K][0], signal?: AbortSignal,
  ): Promise<AccountLinkOperations[K][1]> {
    const body = JSON.stringify(input);
    for (let attempt = 1; ; attempt++) {
      await sleep(backoffMs(this.retry, attempt), signal);
      try {
        return await this.attempt(operation, body, signal) as AccountLinkOperations[K][1];
      } catch (error) {
        if (signal?.aborted || !isRetryable(error)) throw error;
        if (attempt >= this.retry.attempts) {
          // Say where the calls went: a wrong endpoint override or a blocked network shows here.
          throw error instanceof HttpRequestError
            ? new HttpRequestError(`no answer from ${this.endpoint} in ${attempt} attempts: ${error.message}`, error.connected)
            : error;
        }
      }
    }
  }

  private async attempt(operation: string, body: string, signal: AbortSignal | undefined): Promise<unknown> {
    const answer = await signedPost(this.signer, {
      url: new URL(this.endpoint),
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `WorkspacesService.${operation}`,
        'user-agent': 'cdk-workspaces-account-links',
      },
      body,
      timeoutMs: this.retry.attemptTimeoutMs,
      signal,
    });
    const parsed = parseJson(answer.body);
    const isJson = /json/i.test(answer.headers['content-type'] ?? '') && parsed !== undefined && typeof parsed === 'object' && parsed !== null;
    if (answer.statusCode === 200 && isJson) return parsed;
    const fields = (isJson ? parsed : {}) as Record<string, unknown>;
    const name = errorName(answer.headers['x-amzn-errortype'] ?? fields.__type ?? fields.code);
    if (!name) throw new NotAnApiAnswerError(this.endpoint, answer.statusCode, answer.headers['content-type']);
    const message = fields.message ?? fields.Message;
    throw new WorkSpacesApiError(name, typeof message === 'string' ? message : name, answer.statusCode,
      typeof fields.ResourceId === 'string' ? fields.ResourceId : undefined);
  }
}

/** The Region's WorkSpaces endpoint (FIPS, dual-stack or an override), as the SDK decides it. */
export function workspacesEndpoint(region: string): string {
  return serviceEndpoint('workspaces', region);
}

/**
 * The error's name in an AWS JSON answer: `__type` or the `x-amzn-errortype` header may be
 * namespaced (`com.amazonaws.workspaces#ConflictException`) or carry a URL after a colon.
 */
function errorName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.split(':')[0].split('#').pop()!.trim();
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
 * The error names another attempt may fix: InternalServerException (documented as HTTP 400),
 * and the throttling and timeout names the SDK's standard retry strategy retries (its
 * THROTTLING_ERROR_CODES and TRANSIENT_ERROR_CODES). Listed here because importing the
 * SDK's retry module for them would load its whole retry middleware into every cold start.
 */
const RETRYABLE_ERROR_NAMES = new Set([
  'InternalServerException',
  'BandwidthLimitExceeded', 'EC2ThrottledException', 'LimitExceededException', 'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException', 'SlowDown',
  'ThrottledException', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'TransactionInProgressException',
  'RequestTimeout', 'RequestTimeoutException',
]);

/** What another attempt may fix: throttling, the service failing, no (complete) answer. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof HttpRequestError) return true;
  if (error instanceof NotAnApiAnswerError || error instanceof WorkSpacesApiError) {
    return error.statusCode >= 500 || error.statusCode === 429 || RETRYABLE_ERROR_NAMES.has(error.name);
  }
  return false;
}

/** Five minutes: credentials that expire sooner are fetched again, so a long wait never signs with expired ones. */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/** Fetches credentials once and again only near their expiry (an assumed role's last an hour); a failed fetch is not kept. */
function reuse(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    const kept = current && await current.catch(() => undefined);
    if (kept && !(kept.expiration && kept.expiration.getTime() - Date.now() < REFRESH_BEFORE_EXPIRY_MS)) return kept;
    current = provider();
    return current;
  };
}
