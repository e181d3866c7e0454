import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, BootstraplessSynthesizer, CfnParameter, CfnResource, Fn, Stack, Token } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { roleAccount } from '../access';
import { acknowledgeFindings } from '../compliance-findings';
import { ORGANIZATIONAL_PARENT_ID_PATTERN, ROLE_ARN_PATTERN, ROLE_NAME_PATTERN } from '../contract';
import { PropChecks } from '../synth-checks';

/** The accept role's name when none is given. */
const DEFAULT_ROLE_NAME = 'WorkSpacesAccountLinkAccept';

/** What the role may do: accept, and read the link (to tell an earlier acceptance from a refusal). */
const ACCEPT_ACTIONS = ['workspaces:AcceptAccountLinkInvitation', 'workspaces:GetAccountLink'];

/**
 * As whom `AccountLinkAcceptRole.stackSet` manages its service-managed StackSet
 * (CloudFormation's `CallAs`).
 */
export enum StackSetCallAs {
  /** As the organization's management account: the stack that holds the StackSet is deployed there. */
  SELF = 'SELF',
  /**
   * As a delegated administrator for StackSets: the stack that holds the StackSet is
   * deployed in a member account that the management account registered as one.
   */
  DELEGATED_ADMIN = 'DELEGATED_ADMIN',
}

/** Properties of an AccountLinkAcceptRole. */
export interface AccountLinkAcceptRoleProps {
  /**
   * The role that may assume this one: the source account's provider role
   * (`AccountLinksProvider.of(sourceStack).role.roleArn`). The role trusts the source
   * account on the condition that the caller is this role (`aws:PrincipalArn`), so the
   * trust holds through a deletion and re-creation of the provider role, and this role may
   * be created before it.
   */
  readonly trustedRoleArn: string;

  /**
   * The role's name: AccountLinkTargets' `acceptRoleName`.
   *
   * @default 'WorkSpacesAccountLinkAccept'
   */
  readonly roleName?: string;
}

/** Properties of `AccountLinkAcceptRole.stackSet`. */
export interface AccountLinkAcceptRoleStackSetProps extends AccountLinkAcceptRoleProps {
  /**
   * The organizational units (`ou-…`), or the organization's root (`r-…`), whose accounts
   * get the role (and accounts that join them later). StackSets never deploys to the
   * organization's management account, even when a unit (or the root) holds it.
   */
  readonly organizationalUnitIds: string[];

  /**
   * As whom the StackSet is managed: `SELF` in the organization's management account,
   * `DELEGATED_ADMIN` in a member account registered as a delegated administrator for
   * StackSets.
   *
   * @default StackSetCallAs.SELF
   */
  readonly callAs?: StackSetCallAs;

  /**
   * The StackSet's name.
   *
   * @default 'WorkSpacesAccountLinkAcceptRole'
   */
  readonly stackSetName?: string;

  /**
   * The Region the roles' stacks are created in (IAM is global: one is enough).
   *
   * @default - this stack's Region
   */
  readonly region?: string;
}

/**
 * The role a target account needs for AccountLinkTargets to accept its invitation: trusted
 * by the source account's provider role alone, allowed `AcceptAccountLinkInvitation` and
 * the `GetAccountLink` read it needs, nothing else. Put it in a target's own stack, or
 * roll it out to every account of organizational units with `AccountLinkAcceptRole.stackSet`.
 *
 * Its trust policy names the source account as principal, on the condition that the
 * caller's ARN is `trustedRoleArn` (`ArnEquals` on `aws:PrincipalArn`), rather than the
 * role itself: IAM stores a role named as principal by its unique id, so a provider role
 * deleted and created again (a replaced stack) would no longer be trusted, while a
 * condition on `aws:PrincipalArn` compares the ARN and keeps holding (IAM User Guide,
 * "AWS JSON policy elements: Principal", IAM role principals).
 *
 * @example
 * import { Stack } from 'aws-cdk-lib';
 * import { AccountLinkAcceptRole, AccountLinksProvider } from 'cdk-workspaces-account-links';
 *
 * declare const sourceStack: Stack;
 * declare const managementStack: Stack;
 *
 * // In the management account (or a StackSets delegated administrator): every account of the unit gets the role.
 * AccountLinkAcceptRole.stackSet(managementStack, 'AcceptRoles', {
 *   organizationalUnitIds: ['ou-ab12-34cd56ef'],
 *   trustedRoleArn: AccountLinksProvider.of(sourceStack).role.roleArn,
 * });
 */
export class AccountLinkAcceptRole extends Construct {
  /** The role's name when none is given: what AccountLinkTargets' `acceptRoleName` then names. */
  public static readonly DEFAULT_ROLE_NAME = DEFAULT_ROLE_NAME;

  /**
   * A service-managed CloudFormation StackSet that creates the role in every account of
   * `organizationalUnitIds`, and in accounts that join them later (auto-deployment). Its
   * template is the role alone, inline: no assets, which StackSets cannot carry.
   *
   * Prerequisites, once per organization: all features enabled in AWS Organizations, and
   * trusted access for StackSets with AWS Organizations activated (from the management
   * account); for `StackSetCallAs.DELEGATED_ADMIN`, the stack's account registered as a
   * delegated administrator for StackSets (CloudFormation User Guide, "Activate trusted
   * access for StackSets with AWS Organizations" and "Register a delegated administrator").
   *
   * Order of deployment: the roles trust the source account as principal and name the
   * provider role only in a condition (`aws:PrincipalArn`), whose ARN IAM keeps as written
   * (it converts only a role named as principal to the role's unique id), so the StackSet
   * does not need the provider role to exist, and a provider role replaced later stays
   * trusted. The provider role's name is known at synth (the library names it when another
   * environment references it). AccountLinkTargets needs the role in a target when it
   * accepts there, so deploy the StackSet first, then the source stack with the
   * AccountLinkTargets; in one stack, make the AccountLinkTargets depend on the StackSet.
   * An account that joins a unit later gets its role from auto-deployment, and its
   * invitation at the source's next deployment with `readOnEveryDeployment`.
   */
  public static stackSet(scope: Construct, id: string, props: AccountLinkAcceptRoleStackSetProps): cloudformation.CfnStackSet {
    const check = new PropChecks(`AccountLinkAcceptRole.stackSet ${scope.node.path}/${id}`);
    const units = props.organizationalUnitIds;
    if (!Array.isArray(units) || (units.length === 0 && !Token.isUnresolved(units))) check.fail('organizationalUnitIds must list at least one unit');
    units.forEach((unit, index) => check.string(`organizationalUnitIds[${index}]`, unit, ORGANIZATIONAL_PARENT_ID_PATTERN));
    check.string('trustedRoleArn', props.trustedRoleArn, ROLE_ARN_PATTERN);
    const roleName = check.string('roleName', props.roleName, ROLE_NAME_PATTERN) ?? DEFAULT_ROLE_NAME;
    const callAs = props.callAs ?? StackSetCallAs.SELF;
    if (!Object.values(StackSetCallAs).includes(callAs)) {
      check.fail(`callAs ${JSON.stringify(callAs)} is not one of ${Object.values(StackSetCallAs).join(', ')}`);
    }
    return new cloudformation.CfnStackSet(scope, id, {
      stackSetName: props.stackSetName ?? 'WorkSpacesAccountLinkAcceptRole',
      description: 'The role AccountLinkTargets assumes to accept WorkSpaces account link invitations',
      permissionModel: 'SERVICE_MANAGED',
      callAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      templateBody: JSON.stringify(roleTemplate(roleName)),
      parameters: [{ parameterKey: TRUSTED_ROLE_PARAMETER, parameterValue: props.trustedRoleArn }],
      stackInstancesGroup: [{
        deploymentTargets: { organizationalUnitIds: units },
        regions: [props.region ?? Stack.of(scope).region],
      }],
      operationPreferences: { failureTolerancePercentage: 0, maxConcurrentPercentage: 100, regionConcurrencyType: 'PARALLEL' },
    });
  }

  /** The role. */
  public readonly role: iam.Role;
  /** Its name: AccountLinkTargets' `acceptRoleName`. */
  public readonly roleName: string;

  constructor(scope: Construct, id: string, props: AccountLinkAcceptRoleProps) {
    super(scope, id);
    const check = new PropChecks(`AccountLinkAcceptRole ${this.node.path}`);
    props = check.props(props, true);
    const trusted = check.string('trustedRoleArn', props.trustedRoleArn, ROLE_ARN_PATTERN) ?? check.fail('trustedRoleArn is required');
    this.roleName = check.string('roleName', props.roleName, ROLE_NAME_PATTERN) ?? DEFAULT_ROLE_NAME;
    this.role = new iam.Role(this, 'Role', {
      roleName: this.roleName,
      assumedBy: trustedRolePrincipal(trusted),
      description: 'Lets AccountLinkTargets in the source account accept its WorkSpaces account link invitation',
    });
    // A customer managed policy, not an inline one (compliance packs flag inline policies).
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Accept a WorkSpaces account link invitation',
      roles: [this.role],
      statements: [new iam.PolicyStatement({ actions: ACCEPT_ACTIONS, resources: ['*'] })],
    });
    acknowledgeFindings(policy.node.defaultChild as CfnResource, {
      rule: 'AwsSolutions-IAM5',
      finding: 'Resource::*',
      reason: 'AcceptAccountLinkInvitation and GetAccountLink have no resource types: "*" is the only resource they accept',
    });
  }
}

/**
 * The source account, on the condition that the caller is the role `trustedRoleArn`: a
 * condition on `aws:PrincipalArn` is compared as an ARN, where a role principal is stored
 * as the role's unique id (and so breaks when the role is created again).
 */
function trustedRolePrincipal(trustedRoleArn: string): iam.IPrincipal {
  const account = roleAccount(trustedRoleArn) ?? Fn.select(4, Fn.split(':', trustedRoleArn));
  return new iam.AccountPrincipal(account).withConditions({ ArnEquals: { 'aws:PrincipalArn': trustedRoleArn } });
}

/** The StackSet template's parameter: the source's provider role (the trusted account is read from it too). */
const TRUSTED_ROLE_PARAMETER = 'TrustedRoleArn';

/**
 * The template of a stack holding only the role: the construct above, synthesized on its
 * own (one definition of the role), in a folder of its own that is removed at once: never
 * the app's output folder, which `cdk synth` names to every App through CDK_OUTDIR.
 */
function roleTemplate(roleName: string): unknown {
  const outdir = mkdtempSync(path.join(tmpdir(), 'accept-role-'));
  try {
    return synthesizedRole(roleName, outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function synthesizedRole(roleName: string, outdir: string): unknown {
  const app = new App({ outdir, analyticsReporting: false });
  const stack = new Stack(app, 'AcceptRole', { synthesizer: new BootstraplessSynthesizer() });
  const trusted = new CfnParameter(stack, TRUSTED_ROLE_PARAMETER, {
    type: 'String',
    description: 'The source account\'s provider role, which may assume this one',
    allowedPattern: ROLE_ARN_PATTERN.source,
  });
  new AccountLinkAcceptRole(stack, 'AcceptRole', { trustedRoleArn: trusted.valueAsString, roleName });
  return app.synth().getStackByName(stack.stackName).template;
}
