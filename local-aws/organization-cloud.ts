import { randomUUID } from 'node:crypto';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { BUNDLED_HANDLER } from './bundled-handler';
import { LocalLedger } from './ledger-server';
import { LocalLambda } from './local-lambda';
import { CapturedResponse, ResponseServer } from './response-server';
import { StsEndpoint } from './sts-endpoint';
import { WorkSpacesClient } from '../core/workspaces-client';
import { LEDGER_TABLE_ENV, RECONCILE_KEY, ReconcileRequest, ReconcileTrigger, ResourceType } from '../src/contract';
import { AccountLinksEmulator, RateLimit } from '../src/emulator/emulator';
import type { EmulatedAccountLink } from '../src/emulator/links-file';
import type { EmulatedOrganization, OrganizationTree } from '../src/emulator/organization';

/** The source account: its handler signs with SOURCE_KEY. */
export const SOURCE = '111122223333';
export const SOURCE_KEY = 'AKIDSOURCE';
export const FUNCTION_ARN = `arn:aws:lambda:eu-west-1:${SOURCE}:function:links-handler`;
export const STACK_ID = `arn:aws:cloudformation:eu-west-1:${SOURCE}:stack/org-links/${randomUUID()}`;
export const ACCEPT_ROLE = 'WorkSpacesAccountLinkAccept';

/** The n-th target account: 2000000000nn. */
export const target = (n: number) => String(200000000000 + n);
/** The key a target's accept role signs with (STS answers it for the role in that account). */
export const keyOf = (account: string) => `ASIA${account}`;
/** The n-th account the source was linked to before (`sourceLinks`): 9000000000nn, never a target. */
export const otherTarget = (n: number) => String(900000000000 + n);

export interface OrganizationCloudOptions {
  readonly targets: string[];
  /**
   * The organization Organizations serves (DescribeOrganization, the listings), which
   * `cloud.organization` changes while the handler runs. @default - an organization of no
   * units: its management account (000000000000) in its root
   */
  readonly organization?: EmulatedOrganization;
  readonly rateLimit?: RateLimit;
  /** Accounts whose accept role STS refuses to let the handler assume. */
  readonly unassumable?: string[];
  /** The function's timeout: a short one makes the handler hand over often. @default 120 s */
  readonly functionTimeoutMs?: number;
  /**
   * The ledger table on a local DynamoDB (dynalite), named to the handler by
   * ACCOUNT_LINKS_LEDGER_TABLE and reached at AWS_ENDPOINT_URL_DYNAMODB; `false` runs the
   * handler without them, as a provider without a table would. @default true
   */
  readonly ledger?: boolean;
  /**
   * LINKED links from the source to other accounts (otherTarget(1), otherTarget(2), ...) that
   * exist before the test, listed before any invitation the handler creates: a source with
   * more links than one resource's targets (2300 is more than 2,200, say). @default 0
   */
  readonly sourceLinks?: number;
  /** How long the emulator keeps a ClientToken (see EmulatorOptions.clientTokenLifetimeMs). @default - forever */
  readonly clientTokenLifetimeMs?: number;
}

/**
 * CloudFormation, Lambda, STS, WorkSpaces and Organizations, locally, for the source
 * account's handler: the bundled handler runs as Lambda runs it (a fresh process an
 * invocation, asynchronous, hand-overs through a local Lambda Invoke endpoint), answers a
 * pre-signed-looking response URL, and assumes each target's accept role through STS.
 */
export class OrganizationCloud {
  public static async start(options: OrganizationCloudOptions): Promise<OrganizationCloud> {
    const accounts: Record<string, string> = { [SOURCE_KEY]: SOURCE };
    for (const account of options.targets) accounts[keyOf(account)] = account;
    const links = Array.from({ length: options.sourceLinks ?? 0 }, (_, i): EmulatedAccountLink => ({
      AccountLinkId: `link-other${String(i + 1).padStart(6, '0')}`, AccountLinkStatus: 'LINKED', SourceAccountId: SOURCE, TargetAccountId: otherTarget(i + 1),
    }));
    const emulator = await AccountLinksEmulator.start({
      links,
      accounts,
      organization: options.organization ?? { OrganizationalUnits: [] },
      rateLimit: options.rateLimit,
      clientTokenLifetimeMs: options.clientTokenLifetimeMs,
    });
    const ledger = options.ledger === false ? undefined : await LocalLedger.start();
    const refused = new Set(options.unassumable ?? []);
    const sts = await StsEndpoint.start((roleArn) => {
      const account = roleArn.split(':')[4];
      return refused.has(account) ? undefined : keyOf(account);
    });
    const responses = await ResponseServer.start();
    const lambda = await LocalLambda.start();
    lambda.register({ arn: FUNCTION_ARN, handlerFile: BUNDLED_HANDLER, timeoutMs: options.functionTimeoutMs ?? 120_000 });
    return new OrganizationCloud(emulator, sts, responses, lambda, ledger);
  }

  private readonly savedEnv = { ...process.env };
  private requests = 0;

  private constructor(
    public readonly emulator: AccountLinksEmulator,
    public readonly sts: StsEndpoint,
    public readonly responses: ResponseServer,
    public readonly lambda: LocalLambda,
    /** The ledger's local DynamoDB (undefined with `ledger: false`): its `items()` are what the handler wrote. */
    public readonly ledger?: LocalLedger,
  ) {
    // LocalLambda starts each invocation with this process's environment.
    delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    delete process.env[LEDGER_TABLE_ENV];
    if (ledger) Object.assign(process.env, { AWS_ENDPOINT_URL_DYNAMODB: ledger.endpoint, [LEDGER_TABLE_ENV]: ledger.tableName });
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: SOURCE_KEY,
      AWS_SECRET_ACCESS_KEY: 'test-secret',
      AWS_ENDPOINT_URL_WORKSPACES: emulator.endpoint,
      AWS_ENDPOINT_URL_ORGANIZATIONS: emulator.endpoint,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint.url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: emulator.endpoint,
    });
  }

  /** The organization, to change while the handler runs: accounts join, move, leave; units come and go. */
  public get organization(): OrganizationTree {
    return this.emulator.organization!;
  }

  /** An event as CloudFormation sends it, by default of `Custom::WorkSpacesAccountLinkTargets` (logical id `Targets`). */
  public event(
    requestType: 'Create' | 'Update' | 'Delete', properties: Record<string, unknown>,
    more: { physicalResourceId?: string; oldProperties?: Record<string, unknown>; resourceType?: string; logicalResourceId?: string } = {},
  ): CloudFormationCustomResourceEvent {
    const requestId = `request-${++this.requests}-${randomUUID()}`;
    return {
      RequestType: requestType,
      ServiceToken: FUNCTION_ARN,
      ResponseURL: this.responses.url(`${more.logicalResourceId ?? 'Targets'}/${requestId}`),
      StackId: STACK_ID,
      RequestId: requestId,
      LogicalResourceId: more.logicalResourceId ?? 'Targets',
      ResourceType: more.resourceType ?? ResourceType.TARGETS,
      ResourceProperties: { ServiceToken: FUNCTION_ARN, ...properties },
      ...(more.physicalResourceId ? { PhysicalResourceId: more.physicalResourceId } : {}),
      ...(more.oldProperties ? { OldResourceProperties: { ServiceToken: FUNCTION_ARN, ...more.oldProperties } } : {}),
    } as CloudFormationCustomResourceEvent;
  }

  /**
   * Delivers `event` `copies` times (Lambda's at-least-once delivery), then waits for the
   * first answer and for every invocation (hand-overs included) to end. Returns every
   * answer the request got.
   */
  public async deliver(event: CloudFormationCustomResourceEvent, copies = 1, timeoutMs = 240_000): Promise<CapturedResponse[]> {
    for (let i = 0; i < copies; i++) this.lambda.invoke(FUNCTION_ARN, event);
    const first = await this.responses.waitFor(event.RequestId, timeoutMs);
    if (!first) throw new Error(`no answer to ${event.RequestType} within ${timeoutMs} ms: ${this.lambda.logs.slice(-3).join('\n')}`);
    await this.settle();
    return this.answersTo(event);
  }

  /**
   * A reconcile run of the resource `physicalResourceId`, as its schedule (or its rule of
   * organization events) delivers it, `copies` times (the Scheduler and Lambda deliver at
   * least once); waits for every invocation to end and returns the run's log lines.
   */
  public async reconcile(physicalResourceId: string, more: {
    readonly time?: Date; readonly run?: string; readonly copies?: number; readonly trigger?: ReconcileTrigger; readonly logicalResourceId?: string;
  } = {}): Promise<Array<Record<string, unknown>>> {
    const time = (more.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const request: ReconcileRequest = {
      stackId: STACK_ID,
      logicalResourceId: more.logicalResourceId ?? 'Targets',
      physicalResourceId,
      ledgerTable: this.ledger!.tableName,
      run: more.run ?? time,
      time,
      trigger: more.trigger ?? 'schedule',
    };
    for (let i = 0; i < (more.copies ?? 1); i++) this.lambda.invoke(FUNCTION_ARN, { [RECONCILE_KEY]: request });
    await this.settle();
    return this.runLines(request.run);
  }

  /** The log lines of the reconcile run `run`, one per invocation that took a delivery of it. */
  public runLines(run: string): Array<Record<string, unknown>> {
    return this.lambda.records.map((r) => r.message as Record<string, unknown>).filter((m) => m?.reconcile === run);
  }

  /** The embedded metric format documents the handler wrote (lines of their own on stdout, `_aws` at the top). */
  public metricDocuments(): Array<Record<string, unknown>> {
    return this.lambda.logs.flatMap((line) => {
      try {
        const document = JSON.parse(line) as Record<string, unknown>;
        return typeof document === 'object' && document !== null && '_aws' in document ? [document] : [];
      } catch {
        return [];
      }
    });
  }

  /** Waits until no invocation runs any more (hand-overs start new ones). */
  public async settle(): Promise<void> {
    for (let before = -1; before !== this.lambda.invocations;) {
      before = this.lambda.invocations;
      await this.lambda.idle();
    }
  }

  public answersTo(event: CloudFormationCustomResourceEvent): CapturedResponse[] {
    return this.responses.responses.filter((r) => r.body.RequestId === event.RequestId);
  }

  /**
   * The links from the source, by status, as the emulator holds them now: read from it, not
   * through the API, so that looking neither spends the rate limit nor shows among the
   * requests, and a source of more links than one listing takes (core's listAccountLinks
   * stops at 2,200) is read whole.
   */
  public async linksFromSource(): Promise<Array<{ AccountLinkId: string; AccountLinkStatus: string; TargetAccountId: string }>> {
    return this.emulator.snapshot().filter((l) => l.SourceAccountId === SOURCE);
  }

  /** A WorkSpaces client signing as `account` (the source, or a target's accept role). */
  public clientOf(account: string): WorkSpacesClient {
    return accountClient(this.emulator.endpoint, account);
  }

  public async close(): Promise<void> {
    await this.settle();
    await this.lambda.close();
    await Promise.all([this.emulator.close(), this.sts.close(), this.responses.close(), this.ledger?.close()]);
    for (const key of Object.keys(process.env)) if (!(key in this.savedEnv)) delete process.env[key];
    Object.assign(process.env, this.savedEnv);
  }
}

/** A WorkSpaces client of `endpoint` signing as `account`: the source with SOURCE_KEY, a target with its accept role's key. */
export function accountClient(endpoint: string, account: string): WorkSpacesClient {
  const key = account === SOURCE ? SOURCE_KEY : keyOf(account);
  return new WorkSpacesClient({ region: 'eu-west-1', endpoint, credentials: async () => ({ accessKeyId: key, secretAccessKey: 'test-secret' }) });
}
