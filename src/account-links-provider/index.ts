import { Annotations, Aws, CfnResource, PhysicalName, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CUSTOM_RESOURCE_RUNTIME_FAMILY, CUSTOM_RESOURCE_SINGLETON_LOG_GROUP } from 'aws-cdk-lib/custom-resources';
import { Construct, DependencyGroup, IConstruct, IDependable } from 'constructs';
import {
  DEFAULT_APPLICATION_LOG_LEVEL,
  DEFAULT_LOG_RETENTION,
  DEFAULT_MEMORY_SIZE,
  defaultRuntime,
  HANDLER_ASSET_DIR,
  HANDLER_TIMEOUT,
  MAX_EVENT_AGE,
  MIN_NODE_MAJOR_VERSION,
  nodeMajorVersion,
} from './handler-settings';
import { ledgerTable } from './ledger';
import {
  ACCEPT_ROLE_WILDCARD_REASON, LEDGER_ACTIONS, LEDGER_KEY_ACTIONS, LOG_WRITE_ACTIONS, ORGANIZATIONS_READ_ACTIONS, PUBLISH_EVENTS_ACTIONS,
  READ_ACTIONS, RequiredStatements, SAME_ORGANIZATION_CONDITION, VPC_ACCESS_ACTIONS, WILDCARD_REASON,
} from './permissions';
import { ReconcileScheduleRole, reconcileScheduleRole } from './reconcile-schedule-role';
import { acknowledgeFindings } from '../compliance-findings';
import { EVENT_SOURCE, LEDGER_TABLE_ENV } from '../contract';
import { PropChecks } from '../synth-checks';

/**
 * How the stack's provider (the one Lambda function behind every construct of this
 * library in the stack) is deployed: its network, role, logs and runtime. The names are
 * those of aws-cdk-lib's `AwsCustomResource` where it has the same setting.
 */
export interface AccountLinksProviderProps {
  /**
   * The VPC to run the function in. The function then needs a route to the WorkSpaces API
   * (an interface endpoint in a network with no internet access), to Lambda when a gate
   * waits, to STS when a construct sets `assumeRoleArn`, and to S3 for CloudFormation's
   * response URL: see the README's "In a private network".
   *
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Which subnets of `vpc` the function uses.
   *
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The function's security groups in `vpc`.
   *
   * @default - a new security group that allows all outbound traffic
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * A role of your own for the function, which must trust `lambda.amazonaws.com`. The
   * library adds no policy to it: it must allow what the README's "Permissions" lists (the
   * read actions, writes to the function's log group and, as the stack's constructs need
   * them, the invitation actions, `sts:AssumeRole` on each `assumeRoleArn`,
   * `lambda:InvokeFunction` on the function itself for a gate that waits, and for
   * AccountLinkTargets the DynamoDB item actions on the ledger table); synthesis reports the
   * exact statements as an info annotation on the provider.
   *
   * @default - a role of the library's, with a customer managed policy of exactly what the
   * stack's constructs need
   */
  readonly role?: iam.IRole;

  /**
   * A log group of your own for the function's lines. Excludes `logRetention`,
   * `logRemovalPolicy` and `encryptionKey`, which configure the library's own.
   *
   * @default - a log group of the library's
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * How long the library's log group keeps the function's lines.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * What happens to the library's log group when it leaves the stack.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly logRemovalPolicy?: RemovalPolicy;

  /**
   * A KMS key to encrypt the library's log group with, and the ledger table (which the
   * provider makes for AccountLinkTargets). A key defined in this app gets the key-policy
   * statement CloudWatch Logs needs; the policy of an imported key must already allow it,
   * and let the function's role use the key through DynamoDB (the role's policy allows
   * `kms:Decrypt`, `kms:DescribeKey`, `kms:Encrypt` and `kms:GenerateDataKey` on it).
   *
   * @default - the log group encrypted by CloudWatch Logs with its own key; the ledger under
   * the AWS managed key for DynamoDB (`aws/dynamodb`)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The lowest level of the handler's lines that reaches the log group. The handler writes
   * one JSON line per event: INFO, or ERROR when the event failed or its answer could not
   * be delivered, so WARN still shows every failure.
   *
   * @default lambda.ApplicationLogLevel.INFO
   */
  readonly applicationLogLevel?: lambda.ApplicationLogLevel;

  /**
   * The function's instruction set (the handler is plain JavaScript: either runs it).
   *
   * @default lambda.Architecture.X86_64
   */
  readonly architecture?: lambda.Architecture;

  /**
   * The function's runtime: Node.js 22 or a later Node.js. `CustomResourceConfig`'s
   * `addLambdaRuntime` overrides it, as it does aws-cdk-lib's own providers'.
   *
   * @default - the newest Node.js runtime this app's aws-cdk-lib knows (as cdk-nag's
   * AwsSolutions-L1 requires): `nodejs22.x` with aws-cdk-lib 2.176.0, `nodejs26.x` with 2.278.0
   */
  readonly runtime?: lambda.Runtime;

  /**
   * The function's name.
   *
   * @default - generated
   */
  readonly functionName?: string;

  /**
   * The function's memory, in MB (more memory buys more CPU and a shorter cold start).
   *
   * @default 256
   */
  readonly memorySize?: number;

  /**
   * Concurrent executions reserved for the function (and its upper bound). Events beyond it
   * are throttled, and Lambda delivers them later, within the function's maximum event age
   * (5 minutes).
   *
   * @default - no reserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * Call the FIPS endpoints of WorkSpaces, STS and Lambda (`AWS_USE_FIPS_ENDPOINT=true` in
   * the function's environment), where the Region has them.
   *
   * @default false
   */
  readonly useFipsEndpoint?: boolean;
}

/** The construct id of the stack's provider. */
const PROVIDER_ID = 'WorkSpacesAccountLinksHandler';

/**
 * The custom resource provider of this library: the one Lambda function (with its role,
 * policy and log group) that serves every construct of the library in a stack, so each
 * extra lookup adds one resource to the template. It is created on first use with the
 * defaults; `AccountLinksProvider.configure()` sets it up first, for a VPC, a role of your
 * own, retained and encrypted logs or FIPS endpoints. A stack with an AccountLinkTargets
 * also gets the provider's ledger: one DynamoDB table (on-demand, point-in-time recovery,
 * encrypted under `encryptionKey` or the AWS managed key) where AccountLinkTargets keeps its
 * books, named to the function by the environment variable `ACCOUNT_LINKS_LEDGER_TABLE`
 * and the only table the function's DynamoDB permissions name.
 *
 * @example
 * import { Stack } from 'aws-cdk-lib';
 * import * as ec2 from 'aws-cdk-lib/aws-ec2';
 * import { AccountLink, AccountLinksProvider } from 'cdk-workspaces-account-links';
 *
 * declare const stack: Stack;
 * declare const vpc: ec2.IVpc;
 *
 * // Before any construct of the library in the stack:
 * AccountLinksProvider.configure(stack, { vpc });
 * new AccountLink(stack, 'Link', { linkId: 'link-1a2b3c4d' });
 */
export class AccountLinksProvider extends Construct implements iam.IGrantable {
  /** The provider of `scope`'s stack: the configured one, or one with the defaults, created on first use. */
  public static of(scope: IConstruct): AccountLinksProvider {
    const stack = Stack.of(scope);
    return AccountLinksProvider.find(stack) ?? new AccountLinksProvider(stack, {}, false);
  }

  /**
   * Sets up `stack`'s provider with `props`. Call it before any construct of the library in
   * the stack, once.
   */
  public static configure(stack: Stack, props: AccountLinksProviderProps): AccountLinksProvider {
    const where = `AccountLinksProvider.configure(${stack?.node?.path ?? stack})`;
    if (!Stack.isStack(stack)) throw new Error(`${where}: the scope must be a Stack`);
    const existing = AccountLinksProvider.find(stack);
    if (existing?.configured) throw new Error(`${where}: the stack's provider is configured already: configure it once`);
    if (existing) {
      throw new Error(`${where}: a construct of this library created the stack's provider with the defaults before: `
        + 'call configure before adding the constructs');
    }
    return new AccountLinksProvider(stack, props, true);
  }

  private static find(stack: Stack): AccountLinksProvider | undefined {
    return stack.node.tryFindChild(PROVIDER_ID) as AccountLinksProvider | undefined;
  }

  /** The function. */
  public readonly function: lambda.Function;
  /** The function's role: the one to trust in another account's role for `assumeRoleArn`. */
  public readonly role: iam.IRole;
  /** The function's role, to grant it more. */
  public readonly grantPrincipal: iam.IPrincipal;
  /** Where the function's lines go. */
  public readonly logGroup: logs.ILogGroup;

  private readonly configured: boolean;
  /** The library's own policy; undefined with a role of the user's. */
  private readonly policy?: iam.ManagedPolicy;
  private selfInvokePolicy?: iam.ManagedPolicy;
  private readonly required = new RequiredStatements();
  private readonly encryptionKey?: kms.IKey;
  private ledger?: { readonly table: dynamodb.ITable; readonly grant: IDependable };
  private publishEventsGrant?: IDependable;
  private scheduleRole?: ReconcileScheduleRole;
  /** The accept-role names whose "*" account the library's policy acknowledges already. */
  private readonly acknowledgedAcceptRoles = new Set<string>();

  private constructor(stack: Stack, props: AccountLinksProviderProps, configured: boolean) {
    super(stack, PROVIDER_ID);
    this.configured = configured;
    const check = new PropChecks(`AccountLinksProvider ${this.node.path}`);
    props = check.props(props, false);
    const runtime = checkRuntime(check, props.runtime);
    if (props.logGroup && (props.logRetention !== undefined || props.logRemovalPolicy !== undefined || props.encryptionKey)) {
      check.fail('logGroup is a log group of your own: logRetention, logRemovalPolicy and encryptionKey configure the library\'s, so set neither with it');
    }
    const useFipsEndpoint = check.boolean('useFipsEndpoint', props.useFipsEndpoint);
    check.wholeNumber('memorySize', props.memorySize);
    check.wholeNumber('reservedConcurrentExecutions', props.reservedConcurrentExecutions);

    this.logGroup = props.logGroup ?? this.ownLogGroup(props);
    this.encryptionKey = props.encryptionKey;

    if (props.role) {
      this.role = props.role;
    } else {
      // Under Role.customizeRoles this role, and the managed policies below, are not
      // synthesized: their statements go to the policy report for the platform team.
      this.role = new iam.Role(this, 'Role', {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: 'Reads WorkSpaces account links for custom resources',
        // A role in another account can trust it: CDK then gives it a name it knows at synth.
        roleName: PhysicalName.GENERATE_IF_NEEDED,
      });
      // A customer managed policy, not an inline one (compliance packs flag inline policies).
      this.policy = new iam.ManagedPolicy(this, 'Policy', {
        description: 'What the WorkSpaces account-links provider needs',
        roles: [this.role],
      });
      // (No CfnManagedPolicy under Role.customizeRoles: nothing to acknowledge then.)
      const policyResource = this.policy.node.defaultChild;
      if (CfnResource.isCfnResource(policyResource)) {
        acknowledgeFindings(policyResource, { rule: 'AwsSolutions-IAM5', finding: 'Resource::*', reason: WILDCARD_REASON });
      }
    }
    this.grantPrincipal = this.role;

    this.addStatement(READ_ACTIONS, '*');
    this.addStatement(LOG_WRITE_ACTIONS, this.logGroup.logGroupArn);
    if (props.vpc) this.addStatement(VPC_ACCESS_ACTIONS, '*');

    this.function = new lambda.Function(this, 'Function', {
      description: 'Custom resource provider: reads WorkSpaces account links at deployment time',
      runtime,
      architecture: props.architecture,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(HANDLER_ASSET_DIR),
      memorySize: props.memorySize ?? DEFAULT_MEMORY_SIZE,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      functionName: props.functionName,
      timeout: HANDLER_TIMEOUT,
      role: this.role,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
      logGroup: this.logGroup,
      // One JSON object per line, at INFO or ERROR: a log pipeline reads it as an object.
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: props.applicationLogLevel ?? DEFAULT_APPLICATION_LOG_LEVEL,
      environment: useFipsEndpoint ? { AWS_USE_FIPS_ENDPOINT: 'true' } : undefined,
      // No automatic retry of an asynchronous event: the handler never throws, so Lambda
      // retries only a crash or a timeout, which a second run would repeat; and a retry
      // (after 1 and 2 minutes) could run a Create after CloudFormation has given up.
      retryAttempts: 0,
      maxEventAge: MAX_EVENT_AGE,
    });
    // The function starts (and attaches to its subnets) only once its role may do so.
    if (this.policy) this.function.node.addDependency(this.policy);
    // aws-cdk-lib's CustomResourceConfig.addLambdaRuntime applies, as to its own custom resources.
    this.function.node.addMetadata(CUSTOM_RESOURCE_RUNTIME_FAMILY, runtime.family);
    acknowledgeFunctionFindings(this.function);

    if (props.role) {
      this.node.addValidation({ validate: () => this.reportRequiredStatements() });
    }
  }

  /** The `ServiceToken` of the custom resources: the function's ARN. */
  public get serviceToken(): string {
    return this.function.functionArn;
  }

  /**
   * Lets the function invoke itself, to hand a long wait over to a fresh invocation. A
   * policy of its own: the function does not depend on it (only the gates that wait do),
   * so naming the function's ARN makes no dependency cycle.
   *
   * @internal
   */
  public _grantSelfInvoke(): IDependable {
    const statement = this.required.add(['lambda:InvokeFunction'], this.function.functionArn);
    if (this.policy) {
      this.selfInvokePolicy ??= new iam.ManagedPolicy(this, 'SelfInvokePolicy', {
        description: 'Lets the WorkSpaces account-links provider hand a long wait over to a new invocation of itself',
        roles: [this.role],
      });
      if (statement) this.selfInvokePolicy.addStatements(statement);
      return this.selfInvokePolicy;
    }
    return new DependencyGroup();
  }

  /**
   * Lets the function assume `roleArn` (and no other role), for calls in another account.
   *
   * @internal
   */
  public _grantAssumeRole(roleArn: string): void {
    this.addStatement(['sts:AssumeRole'], roleArn);
  }

  /**
   * Lets the function call WorkSpaces write actions: only the stacks that manage
   * invitations get them, each action once. Like the reads, they have no resource types.
   *
   * @internal
   */
  public _grantWorkSpacesActions(...actions: string[]): void {
    this.addStatement(actions.map((action) => `workspaces:${action}`), '*');
  }

  /**
   * Lets the function read the accounts of organizational units (AccountLinkTargets'
   * `organizationalUnitIds`). Like the WorkSpaces actions, named on "*".
   *
   * @internal
   */
  public _grantOrganizationsRead(): void {
    this.addStatement(ORGANIZATIONS_READ_ACTIONS, '*');
  }

  /**
   * Lets the function assume the role `roleName` in each of `accounts` (AccountLinkTargets'
   * named targets).
   *
   * @internal
   */
  public _grantAssumeRoleIn(roleName: string, accounts: string[]): void {
    for (const account of accounts) this.addStatement(['sts:AssumeRole'], `arn:${Aws.PARTITION}:iam::${account}:role/${roleName}`);
  }

  /**
   * Lets the function assume the role `roleName` in any account of its own organization
   * (AccountLinkTargets' organizational units, whose accounts are known at deploy time):
   * the condition that the role's organization (`aws:ResourceOrgID`) is the function's
   * (`aws:PrincipalOrgID`) keeps out every account outside it, and the role's trust policy
   * in each target decides.
   *
   * @internal
   */
  public _grantAssumeRoleInOrganization(roleName: string): void {
    this.addStatement(['sts:AssumeRole'], this.anyAccountRole(roleName), SAME_ORGANIZATION_CONDITION);
  }

  /**
   * Lets the function assume the role `roleName` in any account (AccountLinkTargets' target
   * list resolved at deploy time, which may name accounts outside the organization): the
   * role's trust policy in each target decides.
   *
   * @internal
   */
  public _grantAssumeRoleInAnyAccount(roleName: string): void {
    this.addStatement(['sts:AssumeRole'], this.anyAccountRole(roleName));
  }

  /**
   * The ledger table (AccountLinkTargets' books), made on first use, one per provider: its
   * name reaches the function as the environment variable LEDGER_TABLE_ENV, and the
   * function's role may use that table (and its customer managed key) alone.
   *
   * @internal
   */
  public _ledger(): { readonly table: dynamodb.ITable; readonly grant: IDependable } {
    if (this.ledger) return this.ledger;
    const table = ledgerTable(this, this.encryptionKey);
    this.function.addEnvironment(LEDGER_TABLE_ENV, table.tableName);
    // A policy of its own, like the table removed only once no AccountLinkTargets is left: when the last one
    // leaves the stack, its Delete (in the update's cleanup, after the function lost the table's variable)
    // still reads and writes its books, by the table name its properties carry.
    const statements = [this.required.add(LEDGER_ACTIONS, table.tableArn)];
    if (this.encryptionKey) statements.push(this.required.add(LEDGER_KEY_ACTIONS, this.encryptionKey.keyArn));
    const grant = this.policy
      ? new iam.ManagedPolicy(this, 'LedgerPolicy', {
        description: 'Lets the WorkSpaces account-links provider keep AccountLinkTargets\' books in its ledger table',
        roles: [this.role],
        statements: statements.filter((statement): statement is iam.PolicyStatement => statement !== undefined),
      })
      : new DependencyGroup();
    this.ledger = { table, grant };
    return this.ledger;
  }

  /**
   * Lets the function send AccountLinkTargets' events: `events:PutEvents` on the default
   * event bus of the function's account and Region only, under the condition that every
   * event's `source` is the library's (EVENT_SOURCE). A policy of its own, made once per
   * provider, that the resources which send events depend on (as on LedgerPolicy): when the
   * last of them leaves the stack, its Delete may still send its last events.
   *
   * @internal
   */
  public _grantPublishEvents(): IDependable {
    if (this.publishEventsGrant) return this.publishEventsGrant;
    const defaultBus = Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' });
    const statement = this.required.add(PUBLISH_EVENTS_ACTIONS, defaultBus, { StringEquals: { 'events:source': EVENT_SOURCE } });
    this.publishEventsGrant = this.policy
      ? new iam.ManagedPolicy(this, 'PublishEventsPolicy', {
        description: 'Lets the WorkSpaces account-links provider send AccountLinkTargets\' events to the default event bus',
        roles: [this.role],
        statements: statement ? [statement] : [],
      })
      : new DependencyGroup();
    return this.publishEventsGrant;
  }

  /**
   * The execution role of AccountLinkTargets' reconcile schedules (EventBridge Scheduler),
   * made on first use, one per provider whatever the number of schedules: it may invoke the
   * function and nothing else. A role of its own even with a function role of the user's:
   * Scheduler, not Lambda, assumes it.
   *
   * @internal
   */
  public _reconcileScheduleRole(): ReconcileScheduleRole {
    this.scheduleRole ??= reconcileScheduleRole(this, this.function);
    return this.scheduleRole;
  }

  /** The ARN of the role `roleName` in any account, acknowledged once on the library's own policy with the reason. */
  private anyAccountRole(roleName: string): string {
    const policyResource = this.policy?.node.defaultChild;
    if (CfnResource.isCfnResource(policyResource) && !this.acknowledgedAcceptRoles.has(roleName)) {
      this.acknowledgedAcceptRoles.add(roleName);
      acknowledgeFindings(policyResource, {
        rule: 'AwsSolutions-IAM5',
        finding: `Resource::arn:<AWS::Partition>:iam::*:role/${roleName}`,
        reason: ACCEPT_ROLE_WILDCARD_REASON,
      });
    }
    return `arn:${Aws.PARTITION}:iam::*:role/${roleName}`;
  }

  private addStatement(actions: string[], resource: string, conditions?: Record<string, Record<string, string>>): void {
    const statement = this.required.add(actions, resource, conditions);
    if (statement && this.policy) this.policy.addStatements(statement);
  }

  private ownLogGroup(props: AccountLinksProviderProps): logs.LogGroup {
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? DEFAULT_LOG_RETENTION,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
      encryptionKey: props.encryptionKey,
    });
    // aws-cdk-lib's CustomResourceConfig (log retention, removal policy) applies, as to its own custom resources.
    logGroup.node.addMetadata(CUSTOM_RESOURCE_SINGLETON_LOG_GROUP, true);
    // CloudWatch Logs encrypts with the key only if the key's policy lets it (in this account's log groups).
    props.encryptionKey?.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.${Aws.URL_SUFFIX}`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` },
      },
    }));
    return logGroup;
  }

  /** With a role of the user's: what it must allow, as an info annotation (once every construct has asked for its part). */
  private reportRequiredStatements(): string[] {
    const document = new iam.PolicyDocument({ statements: this.required.all });
    Annotations.of(this).addInfo(`The role ${this.role.node.path} must allow: ${JSON.stringify(Stack.of(this).resolve(document.toJSON()))}`);
    return [];
  }
}

/** The runtime: Node.js, no older than the oldest the handler is tested on. */
function checkRuntime(check: PropChecks, runtime: lambda.Runtime | undefined): lambda.Runtime {
  if (runtime === undefined) return defaultRuntime();
  if (!(runtime instanceof lambda.Runtime) || !(nodeMajorVersion(runtime)! >= MIN_NODE_MAJOR_VERSION)) {
    check.fail(`runtime ${runtime?.name ?? String(runtime)} cannot run the handler: it needs Node.js ${MIN_NODE_MAJOR_VERSION} or later (such as lambda.Runtime.NODEJS_22_X)`);
  }
  return runtime;
}

/**
 * The compliance packs' findings on the function that no setting of the provider removes,
 * acknowledged with the reason (README "Compliance packs").
 */
function acknowledgeFunctionFindings(fn: lambda.Function): void {
  const reason = 'The function is a custom resource provider whose asynchronous events are never retried (retryAttempts 0, '
    + 'maximum event age 5 minutes): an event Lambda drops fails its resource at the resource\'s ServiceTimeout, and '
    + 'redriving it later from a dead-letter queue could create or accept an invitation after CloudFormation has given up';
  acknowledgeFindings(fn.node.defaultChild as CfnResource,
    { rule: 'NIST.800.53.R5-LambdaDLQ', reason },
    { rule: 'HIPAA.Security-LambdaDLQ', reason },
  );
}
