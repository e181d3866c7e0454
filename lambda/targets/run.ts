import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { ApiContext } from '../../core/account-link-api';
import { CallPacer } from '../../core/call-pacer';
import { isHandOverError } from '../../core/hand-over';
import type { WaitState } from '../../core/wait-for-status';
import { WorkSpacesClient } from '../../core/workspaces-client';
import { AccessSettings, MAX_SERVICE_TIMEOUT_SECONDS, SERVICE_TIMEOUT_MARGIN_SECONDS } from '../../src/contract';
import { accessCredentials, createFunctionClient, functionRegion } from '../function-client';
import type { EventContext } from '../resource-handler';
import type { HandOver } from '../resource-response';

/**
 * One invocation of an AccountLinkTargets request: the pacer every WorkSpaces call takes
 * its turn with, the source account's API, the request's clock (carried from invocation
 * to invocation as a gate's wait is), and when to hand over.
 */
export class TargetsRun {
  public readonly pacer: CallPacer;
  /** The source account's WorkSpaces API, paced; a throttled call is retried until the hand-over, not beyond. */
  public readonly source: ApiContext;
  public readonly sourceAccount: string;
  /** The function's own account (the source when no role is assumed). */
  public readonly functionAccount: string;
  public readonly partition: string;
  /** The request's clock: it started when CloudFormation sent the request and ends with the work it allows. */
  public readonly wait: WaitState;
  /** Aborts what is in flight at the hand-over time (or at the deadline guard's). */
  public readonly signal: AbortSignal;

  constructor(
    event: CloudFormationCustomResourceEvent, public readonly context: EventContext, callsPerSecond: number, access: AccessSettings,
    /** Calls the chain's earlier invocations saw throttled. */
    private readonly throttledBefore = 0,
  ) {
    this.pacer = new CallPacer(callsPerSecond);
    const atHandOver = AbortSignal.timeout(Math.max(0, context.window.handOverAt - Date.now()));
    this.signal = context.signal ? AbortSignal.any([context.signal, atHandOver]) : atHandOver;
    this.source = { ...this.api(access), retryUntil: context.window.handOverAt };
    const [, partition, , , functionAccount] = event.ServiceToken.split(':');
    this.partition = partition || 'aws';
    this.functionAccount = functionAccount;
    this.sourceAccount = access.assumeRoleArn?.split(':')[4] ?? functionAccount;
    // The work ends SERVICE_TIMEOUT_MARGIN_SECONDS before the resource's ServiceTimeout, so that its answer arrives in time.
    const serviceTimeout = Number((event.ResourceProperties as Record<string, unknown>).ServiceTimeout ?? MAX_SERVICE_TIMEOUT_SECONDS);
    const workSeconds = Math.max(1,
      (Number.isFinite(serviceTimeout) ? serviceTimeout : MAX_SERVICE_TIMEOUT_SECONDS) - SERVICE_TIMEOUT_MARGIN_SECONDS);
    const startedAt = context.requestTime;
    this.wait = context.handedOver ?? { startedAt, endsAt: startedAt + workSeconds * 1000, reads: 0, nextReadAt: startedAt, invocations: 1 };
  }

  /** A WorkSpaces API (the source's, or a target's through its role) whose every attempt takes its turn with the pacer. */
  public api(access: AccessSettings): ApiContext {
    // The counter names the call in flight, an STS AssumeRole included, should the deadline cut it off.
    return { client: createFunctionClient(access, this.pacer, this.context.counter), counter: this.context.counter, signal: this.signal };
  }

  /**
   * A target's WorkSpaces API through the role `access` names, its credentials assumed
   * already: a call that cannot be taken back (an acceptance) can then follow the check
   * that the request still holds the resource at once, not after an STS call of its own.
   */
  public async assumedApi(access: AccessSettings): Promise<ApiContext> {
    const region = functionRegion(access);
    const identity = await accessCredentials(access, region, this.context.counter)({ signal: this.signal, until: this.context.window.handOverAt });
    const client = new WorkSpacesClient({ region, credentials: async () => identity, pacer: this.pacer });
    return { client, counter: this.context.counter, signal: this.signal };
  }

  /** Calls answered throttled in the whole chain so far. */
  public throttled(): number {
    return this.throttledBefore + this.pacer.throttled;
  }

  /**
   * No target's work starts after this invocation's last read time (the rest is handed
   * over), nor after the request's time is over (it answers).
   */
  public timeUp(): boolean {
    return Date.now() >= Math.min(this.context.window.lastReadStartAt, this.wait.endsAt);
  }

  /**
   * Whether `error` ends this invocation's share of the work rather than the request: the
   * hand-over time cut a call off, or a passing fault (WorkSpaces or Organizations
   * throttling, STS throttled or silent) lasted until then (core/hand-over.ts).
   */
  public mustHandOver(error: unknown): boolean {
    return isHandOverError(error, this.signal);
  }

  /**
   * `work`, or `pause()` (a hand-over, or the answer of a request out of time) when
   * mustHandOver: everything the work does is safe to do again, so a successor picks up
   * from the progress recorded so far.
   */
  public async orPause<T, P>(pause: () => P, work: () => Promise<T>): Promise<T | P> {
    try {
      return await work();
    } catch (error) {
      if (this.mustHandOver(error)) return pause();
      throw error;
    }
  }

  /** The request's time is over: its work ends, and it answers (ServiceTimeout is close). */
  public timeOver(): boolean {
    return Date.now() >= this.wait.endsAt;
  }

  /** The successor goes on from `progress`, on the same clock. */
  public handOver(progress: unknown, reads = this.wait.reads): HandOver {
    const nextReadAt = Math.min(Math.max(Date.now(), this.wait.startedAt), this.wait.endsAt);
    return { status: 'HANDED_OVER', wait: { ...this.wait, reads, nextReadAt }, progress };
  }
}
