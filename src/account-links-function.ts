import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';

/**
 * The bundled handler (esbuild output of `lambda/`, SDK included), shipped in the npm
 * package: a consuming app needs neither esbuild nor Docker to synthesize.
 */
export const HANDLER_ASSET_DIR = path.join(__dirname, '..', 'assets', 'lambda', 'index');

/** Timeout of the handler function. A plain lookup answers in seconds; this bounds a slow API. */
export const HANDLER_TIMEOUT = Duration.minutes(2);

/**
 * How long CloudFormation waits for an answer before it fails the resource by itself
 * (instead of its one-hour default), and the shortest ServiceTimeout of any resource the
 * function serves. The handler answers within HANDLER_TIMEOUT; the rest covers Lambda's
 * queueing of the event.
 */
export const DEFAULT_SERVICE_TIMEOUT = Duration.minutes(5);

/**
 * The oldest event Lambda still delivers to the function: no older than the shortest time
 * any of its resources waits for an answer (DEFAULT_SERVICE_TIMEOUT). Lambda keeps a
 * throttled asynchronous event up to 6 hours by default, so without this bound a Create
 * or an Accept (which cannot be undone) could run after CloudFormation has given up on the
 * resource and rolled the stack back: an invitation nobody owns.
 */
export const MAX_EVENT_AGE = DEFAULT_SERVICE_TIMEOUT;

/**
 * The one Lambda function (with its role and log group) that serves every AccountLink and
 * AccountLinks in a stack, so each extra lookup adds one resource to the template.
 */
export class AccountLinksFunction extends Construct {
  /** The stack's function, created on first use. */
  public static of(scope: IConstruct): AccountLinksFunction {
    const stack = Stack.of(scope);
    const id = 'WorkSpacesAccountLinksHandler';
    return (stack.node.tryFindChild(id) as AccountLinksFunction | undefined) ?? new AccountLinksFunction(stack, id);
  }

  public readonly function: lambda.Function;
  private readonly role: iam.Role;
  private selfInvokePolicy?: iam.Policy;
  private readonly granted = new Set<string>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);

    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // No managed policies: exactly the two read actions, and writes to its own log group.
    const role = this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Reads WorkSpaces account links for custom resources',
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['workspaces:GetAccountLink', 'workspaces:ListAccountLinks'],
      // These actions have no resource types: "*" is the only resource they accept.
      resources: ['*'],
    }));
    // Acknowledged for policy-validation plugins such as cdk-nag (AwsSolutions-IAM5).
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'The WorkSpaces account-link actions (GetAccountLink, ListAccountLinks and, where granted, the invitation actions) '
        + 'have no resource types: "*" is the only resource they accept',
    });
    logGroup.grantWrite(role);

    this.function = new lambda.Function(this, 'Function', {
      description: 'Custom resource provider: reads WorkSpaces account links at deployment time',
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(HANDLER_ASSET_DIR),
      // More memory buys more CPU, which shortens the SDK's cold start.
      memorySize: 256,
      timeout: HANDLER_TIMEOUT,
      role,
      logGroup,
      // No automatic retry of an asynchronous event: the handler never throws, so Lambda
      // retries only a crash or a timeout, which a second run would repeat; and a retry
      // (after 1 and 2 minutes) could run a Create after CloudFormation has given up.
      retryAttempts: 0,
      maxEventAge: MAX_EVENT_AGE,
    });
  }

  /**
   * Lets the function invoke itself, to hand a long wait over to a fresh invocation.
   * Created on first use, as a policy of its own: the function does not depend on it (only
   * the gates that wait do), so referencing the function's ARN makes no dependency cycle.
   */
  public grantSelfInvoke(): iam.Policy {
    this.selfInvokePolicy ??= new iam.Policy(this, 'SelfInvokePolicy', {
      roles: [this.role],
      statements: [new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.function.functionArn],
      })],
    });
    return this.selfInvokePolicy;
  }

  /** Lets the function assume `roleArn` (and no other role), for reads in another account. */
  public grantAssumeRole(roleArn: string): void {
    this.grantOnce(['sts:AssumeRole'], roleArn);
  }

  /**
   * Lets the function call WorkSpaces write actions: only the stacks that manage
   * invitations get them, each action once.
   */
  public grantWorkSpacesActions(...actions: string[]): void {
    // Like the reads, the invitation actions have no resource types.
    this.grantOnce(actions.map((action) => `workspaces:${action}`), '*');
  }

  private grantOnce(actions: string[], resource: string): void {
    const key = `${actions.join(',')} on ${resource}`;
    if (this.granted.has(key)) return;
    this.granted.add(key);
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [resource] }));
  }

  /** The `ServiceToken` of the custom resources: the function's ARN. */
  public get serviceToken(): string {
    return this.function.functionArn;
  }
}
