import { randomUUID } from 'node:crypto';
import { Server, ServerResponse } from 'node:http';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { keepEnv } from './env';
import { LossyWorkSpaces } from './lossy-workspaces';
import { WorkSpacesClient } from '../../core/workspaces-client';
import { HANDOVER_RESERVE_MS, READ_RESERVE_MS, RESPONSE_RESERVE_MS } from '../../lambda/time-budget';
import { BUNDLED_HANDLER } from '../../local-aws/bundled-handler';
import { LambdaInvokeEndpoint } from '../../local-aws/lambda-invoke-endpoint';
import { LocalLedger } from '../../local-aws/ledger-server';
import { accountClient, FUNCTION_ARN, keyOf, SOURCE, SOURCE_KEY } from '../../local-aws/organization-cloud';
import { CapturedResponse, ResponseServer } from '../../local-aws/response-server';
import { StsEndpoint } from '../../local-aws/sts-endpoint';
import { LEDGER_TABLE_ENV, ResourceType } from '../../src/contract';
import { AccountLinksEmulator } from '../../src/emulator/emulator';
import type { EmulatedOrganization, OrganizationTree } from '../../src/emulator/organization';

// The source account, its function and the keys it and the targets' accept roles sign with: the organization cloud's.
export { FUNCTION_ARN, SOURCE } from '../../local-aws/organization-cloud';
/** The time Lambda gives an invocation: the function's 2 minutes, as the provider sets it. */
const FUNCTION_TIMEOUT_MS = 120_000;

/** The environment the harness sets, put back by close(). */
const ENV = [
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_WORKSPACES',
  'AWS_ENDPOINT_URL_ORGANIZATIONS', 'AWS_ENDPOINT_URL_EVENTBRIDGE', 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_LAMBDA',
  LEDGER_TABLE_ENV,
  'AWS_LAMBDA_LOG_FORMAT',
];

/** Node's own clock; passTime() moves Date.now() on from it. */
const realNow = Date.now.bind(Date);
let clockOffset = 0;
const serverEmit = Server.prototype.emit;

/**
 * Once the clock has moved, every server of this process answers with it in its Date
 * header: the handler's clients (and the SDK's, for STS) read a Date far from their own
 * clock as a skew to correct, which a Lambda function's clock never is.
 */
function answerWithTheMovedClock(this: Server, event: string | symbol, ...args: unknown[]): boolean {
  if (event === 'request' && clockOffset !== 0) (args[1] as ServerResponse).setHeader('date', new Date(Date.now()).toUTCString());
  return Reflect.apply(serverEmit, this, [event, ...args]) as boolean;
}

type Handler = (event: unknown, context: Context) => Promise<void>;
let loaded: Handler | undefined;
/**
 * The bundled handler (`index.handler`), loaded once: later invocations are warm starts, as
 * Lambda's are. Loaded by Node itself: this harness runs outside jest (see
 * test/handler/targets-histories.test.ts), whose sandbox refuses the handler's `import()` of
 * its targets chunk (targets.js) without --experimental-vm-modules.
 */
function bundledHandler(): Handler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= (require(BUNDLED_HANDLER) as { handler: Handler }).handler;
  return loaded;
}

/** One world of a history: its WorkSpaces and Organizations (a fresh emulator), its stack. */
export interface WorldOptions {
  /** Every account the world knows besides the source (its accept role signs with keyOf). */
  readonly accounts: readonly string[];
  readonly organization: EmulatedOrganization;
}

/**
 * The source account's handler run in this process, as Lambda runs it (`handler(event,
 * context)`, asynchronously, nobody awaiting it; hand-overs through a local Lambda Invoke
 * endpoint that starts them here too), against local STS, DynamoDB (dynalite) and a
 * WorkSpaces and Organizations emulator, answering a local response URL. The servers are
 * started once; each history gets a fresh emulator (`newWorld`) and a stack id of its own,
 * so that neither links nor ledger items of one history reach the next. Many times faster
 * than a process an invocation (local-aws/organization-cloud.ts), for hundreds of histories.
 */
export class InProcessTargets {
  public static async start(): Promise<InProcessTargets> {
    const restoreEnv = keepEnv(ENV);
    const ledger = await LocalLedger.start();
    const sts = await StsEndpoint.start((roleArn) => {
      const account = roleArn.split(':')[4];
      return targets.refused.has(account) ? undefined : keyOf(account);
    });
    const responses = await ResponseServer.start();
    const lambda = await LambdaInvokeEndpoint.start(({ functionName, invocationType, payload }) => {
      if (invocationType !== 'Event' || functionName !== FUNCTION_ARN) return false;
      for (let copy = 0; copy < targets.handOverCopies; copy++) targets.invoke(payload);
      return true;
    });
    const workspaces = await LossyWorkSpaces.start(() => targets.emulator.endpoint);
    const targets = new InProcessTargets(ledger, sts, responses, lambda, workspaces, restoreEnv);
    return targets;
  }

  /** Accounts whose accept role STS refuses to let the handler assume (AccessDenied). */
  public readonly refused = new Set<string>();
  /** How many invocations each hand-over starts: 2 is Lambda delivering the asynchronous Invoke twice. */
  public handOverCopies = 1;
  /** What the handler logged (its one line an event), in order, since the world began. */
  public readonly logs: Array<Record<string, unknown>> = [];
  /** Invocations started since the world began (hand-overs included). */
  public invocations = 0;
  private current?: { emulator: AccountLinksEmulator; stackId: string };
  private readonly running = new Set<Promise<void>>();
  private readonly console: Pick<Console, 'info' | 'warn' | 'error'>;
  private requests = 0;

  private constructor(
    public readonly ledger: LocalLedger,
    public readonly sts: StsEndpoint,
    public readonly responses: ResponseServer,
    private readonly lambda: LambdaInvokeEndpoint,
    /** WorkSpaces as the handler reaches it: the emulator, through a proxy that loses answers when told. */
    public readonly workspaces: LossyWorkSpaces,
    private readonly restoreEnv: () => void,
  ) {
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_ENDPOINT_URL;
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: SOURCE_KEY,
      AWS_SECRET_ACCESS_KEY: 'test-secret',
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_ENDPOINT_URL_DYNAMODB: ledger.endpoint,
      [LEDGER_TABLE_ENV]: ledger.tableName,
      AWS_ENDPOINT_URL_LAMBDA: lambda.url,
      AWS_ENDPOINT_URL_WORKSPACES: workspaces.url,
      // The handler writes each line as an object, as under Lambda's JSON log format: kept here, not printed.
      AWS_LAMBDA_LOG_FORMAT: 'JSON',
    });
    this.console = { info: console.info, warn: console.warn, error: console.error };
    const keep = (line: unknown) => {
      this.logs.push(typeof line === 'object' && line !== null ? line as Record<string, unknown> : { text: String(line) });
    };
    Object.assign(console, { info: keep, warn: keep, error: keep });
  }

  /** A fresh WorkSpaces and Organizations for the next history, and a stack id of its own; the last world's emulator is closed. */
  public async newWorld(options: WorldOptions): Promise<AccountLinksEmulator> {
    await this.settle();
    await this.current?.emulator.close();
    const accounts: Record<string, string> = { [SOURCE_KEY]: SOURCE };
    for (const account of options.accounts) accounts[keyOf(account)] = account;
    const emulator = await AccountLinksEmulator.start({ links: [], accounts, organization: options.organization });
    process.env.AWS_ENDPOINT_URL_ORGANIZATIONS = emulator.endpoint;
    // The deployments' Account Link Changed events go to the world's emulator too, never to an endpoint of AWS's.
    process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = emulator.endpoint;
    this.current = { emulator, stackId: `arn:aws:cloudformation:eu-west-1:${SOURCE}:stack/histories/${randomUUID()}` };
    this.refused.clear();
    this.workspaces.lose = 0;
    this.handOverCopies = 1;
    this.logs.length = 0;
    this.invocations = 0;
    return emulator;
  }

  public get emulator(): AccountLinksEmulator {
    return this.world().emulator;
  }

  public get organization(): OrganizationTree {
    return this.world().emulator.organization!;
  }

  /** An event of `Custom::WorkSpacesAccountLinkTargets` as CloudFormation sends it, in this world's stack. */
  public event(
    requestType: 'Create' | 'Update' | 'Delete', properties: Record<string, unknown>,
    more: { physicalResourceId?: string; oldProperties?: Record<string, unknown>; logicalResourceId?: string } = {},
  ): CloudFormationCustomResourceEvent {
    const requestId = `request-${++this.requests}-${randomUUID()}`;
    const logicalResourceId = more.logicalResourceId ?? 'Targets';
    return {
      RequestType: requestType,
      ServiceToken: FUNCTION_ARN,
      ResponseURL: this.responses.url(`${logicalResourceId}/${requestId}`),
      StackId: this.world().stackId,
      RequestId: requestId,
      LogicalResourceId: logicalResourceId,
      ResourceType: ResourceType.TARGETS,
      ResourceProperties: { ServiceToken: FUNCTION_ARN, ...properties },
      ...(more.physicalResourceId ? { PhysicalResourceId: more.physicalResourceId } : {}),
      ...(more.oldProperties ? { OldResourceProperties: { ServiceToken: FUNCTION_ARN, ...more.oldProperties } } : {}),
    } as CloudFormationCustomResourceEvent;
  }

  /**
   * Starts an invocation of the handler with `payload` (an event, or a hand-over), as Lambda
   * does: not awaited. `workMs`: the invocation may start calls for only that long, then
   * hands over (as one whose work outlasts it does), instead of the function's 2 minutes.
   */
  public invoke(payload: unknown, workMs?: number): void {
    this.invocations++;
    const deadline = Date.now() + (workMs === undefined ? FUNCTION_TIMEOUT_MS : RESPONSE_RESERVE_MS + HANDOVER_RESERVE_MS + READ_RESERVE_MS + workMs);
    const context = {
      functionName: 'links-handler',
      invokedFunctionArn: FUNCTION_ARN,
      awsRequestId: randomUUID(),
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    } as Partial<Context> as Context;
    // The handler never throws; if it did, the history's checks would see no answer.
    const run = bundledHandler()(structuredClone(payload), context).catch((error) => {
      this.logs.push({ text: `the handler threw: ${error instanceof Error ? error.stack : String(error)}` });
    });
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Waits until no invocation runs any more (a hand-over starts a new one). */
  public async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /**
   * Moves the clock on by `ms` while no invocation runs: Lambda delivers a late copy of an
   * event minutes or hours after it came, when the ledger's leases have run out. Only
   * Date.now() moves, which is what the handler's fence, budget and waits read (and the
   * response URL's signing time, CloudFormation's clock, read here): the servers do not care.
   */
  public passTime(ms: number): void {
    if (this.running.size > 0) throw new Error('the clock moves only while no invocation runs');
    clockOffset += ms;
    Date.now = () => realNow() + clockOffset;
    Server.prototype.emit = answerWithTheMovedClock as typeof serverEmit;
  }

  /** A WorkSpaces client signing as `account` (the source, or a target's accept role), outside the handler. */
  public clientOf(account: string): WorkSpacesClient {
    return accountClient(this.emulator.endpoint, account);
  }

  /** Every answer the request got, in order. */
  public answersTo(requestId: string): CapturedResponse[] {
    return this.responses.responses.filter((r) => r.body.RequestId === requestId);
  }

  public async close(): Promise<void> {
    await this.settle();
    Object.assign(console, this.console);
    Date.now = realNow;
    Server.prototype.emit = serverEmit;
    await Promise.all([this.current?.emulator.close(), this.ledger.close(), this.sts.close(), this.responses.close(), this.lambda.close(),
      this.workspaces.close()]);
    this.restoreEnv();
  }

  private world(): { emulator: AccountLinksEmulator; stackId: string } {
    if (!this.current) throw new Error('no world yet: call newWorld first');
    return this.current;
  }
}
