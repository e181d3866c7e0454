import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, HttpRequest, HttpResponse } from '@smithy/types';
import { ApiRetryOptions, DEFAULT_API_OPTIONS, retryDelayMs } from './api-retry';
import { describeError } from './describe-error';
import { httpRequest, HttpRequestError } from './http-request';
import { sleep } from './sleep';
import type { CredentialCall } from './workspaces-client';

/** The session name assumed-role sessions carry (in the other account's CloudTrail). */
export const ROLE_SESSION_NAME = 'cdk-workspaces-account-links';

export interface AssumedRole {
  readonly roleArn: string;
  readonly externalId?: string;
  /** The Region whose STS endpoint is called. */
  readonly region: string;
  /** The credentials that assume the role; by default the SDK's default chain. */
  readonly masterCredentials?: AwsCredentialIdentityProvider;
}

/**
 * Why the role's credentials could not be had: the message names STS, the operation and
 * the role. `transient`: STS throttled, did not answer or failed on its side on every
 * attempt, or the call's time ran out before it answered: a later call (another
 * invocation's) may well succeed, so a wait is delayed, not failed. Not transient: STS
 * refused (AccessDenied: the role does not trust the caller, or the external id differs).
 *
 * The handler loads this module on demand, in a bundle of its own: an instance of this
 * class is not an instance of the handler's copy of it, so the handler tells it by its
 * name and fields (isTransientCredentialsError in core/hand-over.ts).
 */
export class AssumeRoleError extends Error {
  public readonly service = 'STS';

  constructor(message: string, public readonly roleArn: string, public readonly transient: boolean, public readonly cause: unknown) {
    super(message);
    this.name = 'AssumeRoleError';
  }
}

/**
 * The role's temporary credentials, from STS AssumeRole through the SDK's STS client (with
 * its Query protocol and endpoint rules), called with the retries of the handler's own
 * clients (`retry`): throttling retried with backoff until the call's `until`, other
 * failures another attempt may fix `retry.attempts` times, each attempt at most
 * `retry.attemptTimeoutMs`. The call's signal aborts the STS request in flight, and
 * `until` cuts it off, so that a hung STS never outlasts the call that needs the
 * credentials. The handler imports this module only when a resource sets assumeRoleArn,
 * so that a read in the function's own account never loads the STS client.
 */
export function assumedRoleCredentials(role: AssumedRole, retry: ApiRetryOptions = DEFAULT_API_OPTIONS): AwsCredentialIdentityProvider {
  const what = `STS AssumeRole of ${role.roleArn}`;
  return async ({ signal, until = Infinity }: CredentialCall = {}) => {
    const started = Date.now();
    const throttledUntil = Math.min(until, started + retry.throttledForMs);
    let otherFailures = 0;
    /** The last attempt that ended with an error of its own, and the error. */
    let last: { readonly attempt: number; readonly error: unknown } | undefined;
    // The call's time is up (a wait's hand-over, or its end): another call may try again.
    const timeUp = (tried: number, cause: unknown) => new AssumeRoleError(
      `${what} got no answer in the ${seconds(Date.now() - started)} s the call had (${attempts(tried)}`
      + `${last ? `; attempt ${last.attempt}: ${describe(last.error)}` : ''})`, role.roleArn, true, cause);
    for (let attempt = 1; ; attempt++) {
      if (Date.now() >= until) throw timeUp(attempt - 1, last?.error);
      const cutOff = new CutOff(until, signal);
      try {
        return await assumeRoleOnce(role, retry.attemptTimeoutMs, cutOff.signal);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (cutOff.reached) throw timeUp(attempt, error);
        last = { attempt, error };
        const throttled = isThrottlingError(error as never);
        const retryable = throttled || error instanceof HttpRequestError || isTransientError(error as never);
        if (!retryable) throw new AssumeRoleError(`${what} failed: ${describe(error)}`, role.roleArn, false, error);
        const delay = retryDelayMs(retry, attempt, throttled);
        if ((throttled && Date.now() + delay > throttledUntil) || (!throttled && ++otherFailures >= retry.attempts)) {
          const how = throttled ? 'was throttled' : error instanceof HttpRequestError ? 'did not answer' : 'failed';
          throw new AssumeRoleError(`${what} ${how} (${attempts(attempt)}): ${describe(error)}`, role.roleArn, true, error);
        }
        // No longer than the call may last: the next attempt then finds its time gone, and says so.
        await sleep(Math.min(delay, until - Date.now()), signal);
      } finally {
        cutOff.clear();
      }
    }
  };
}

/** An STS error as the reasons say errors; a request that got no answer by its message (the SDK gives it `$metadata`, as it gives its own errors). */
function describe(error: unknown): string {
  return error instanceof HttpRequestError ? error.message : describeError(error);
}

/** `7`, `0.3`: whole seconds, tenths below ten. */
function seconds(ms: number): string {
  return String(ms < 10_000 ? Math.round(ms / 100) / 10 : Math.round(ms / 1000));
}

function attempts(count: number): string {
  return `${count} attempt${count === 1 ? '' : 's'}`;
}

/**
 * The signal of one attempt: the call's, and `until` (ms since the epoch). A timer rather
 * than AbortSignal.timeout, whose clock is not the one the rest of the handler reads.
 */
class CutOff {
  public readonly signal?: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer?: NodeJS.Timeout;
  private readonly detach?: () => void;

  constructor(until: number, private readonly outer: AbortSignal | undefined) {
    if (!Number.isFinite(until)) {
      this.signal = outer;
      return;
    }
    this.signal = this.controller.signal;
    this.timer = setTimeout(() => this.controller.abort(new Error('the call\'s time is up')), Math.max(0, until - Date.now()));
    if (!outer) return;
    const onAbort = () => this.controller.abort(outer.reason);
    if (outer.aborted) {
      onAbort();
    } else {
      outer.addEventListener('abort', onAbort, { once: true });
      this.detach = () => outer.removeEventListener('abort', onAbort);
    }
  }

  /** Whether `until` came (not the call's signal). */
  public get reached(): boolean {
    return this.controller.signal.aborted && !this.outer?.aborted;
  }

  public clear(): void {
    clearTimeout(this.timer);
    this.detach?.();
  }
}

/** One AssumeRole request, the SDK's own retries off: the loop above retries. */
async function assumeRoleOnce(role: AssumedRole, timeoutMs: number, signal: AbortSignal | undefined): Promise<AwsCredentialIdentity> {
  return fromTemporaryCredentials({
    ...(role.masterCredentials ? { masterCredentials: role.masterCredentials } : {}),
    params: {
      RoleArn: role.roleArn,
      RoleSessionName: ROLE_SESSION_NAME,
      ...(role.externalId !== undefined ? { ExternalId: role.externalId } : {}),
    },
    clientConfig: { region: role.region, maxAttempts: 1, requestHandler: requestHandler(timeoutMs, signal) as never },
  })();
}

/**
 * The STS client's transport: the handler's own HTTP request (core/http-request.ts), with
 * one deadline for the whole exchange and the call's signal. The SDK's STS client sends
 * AssumeRole without an abort signal of its own (its credential provider has none to
 * give), so the signal reaches the request here.
 */
function requestHandler(timeoutMs: number, signal: AbortSignal | undefined) {
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
      const url = new URL(`${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}`);
      for (const [name, value] of Object.entries(request.query ?? {})) {
        for (const one of [value ?? ''].flat()) url.searchParams.append(name, one);
      }
      // httpRequest sets the body's length itself.
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name.toLowerCase() !== 'content-length'));
      const answer = await httpRequest(url.href, {
        method: request.method, headers, body: bodyText(request.body), timeoutMs, signal,
      });
      return { response: { statusCode: answer.statusCode, headers: answer.headers, body: Buffer.from(answer.body, 'utf8') } };
    },
  };
}

/** The request's body as text: the Query protocol's form, as a string or as bytes. */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  return body instanceof Uint8Array ? Buffer.from(body).toString('utf8') : '';
}
