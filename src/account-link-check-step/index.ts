import * as path from 'node:path';
import { Duration, Token } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { ACCESS_OPTION_NAMES } from '../access';
import { AccountLinkAccessOptions } from '../access-options';
import { AccountLinkStatus } from '../account-link-status';
import { acknowledgeFindings } from '../compliance-findings';
import { ACCOUNT_ID_PATTERN, accessProblem, CHECK_TIMEOUT_MARGIN_SECONDS, CHECK_WAIT_LIMITS, LINK_ID_PATTERN } from '../contract';
import { PropChecks } from '../synth-checks';

/**
 * One link to check: exactly one of `linkId` and `linkedAccountId`, and optionally the
 * account and Region to check it from (instead of the step's).
 */
export interface AccountLinkReference extends AccountLinkAccessOptions {
  /**
   * The account link's id.
   *
   * @default - look the link up by `linkedAccountId`
   */
  readonly linkId?: string;

  /**
   * The 12-digit id of the account on the other side of the link.
   *
   * @default - look the link up by `linkId`
   */
  readonly linkedAccountId?: string;
}

/**
 * Properties of an AccountLinkCheckStep. `assumeRoleArn`, `externalId` and `region` apply
 * to every link that does not set its own: a check sees the links of the account it runs
 * as, so a pipeline account that is on neither side of a link checks it through a role in
 * the source or the target account.
 */
export interface AccountLinkCheckStepProps extends AccountLinkAccessOptions {
  /** The links to check; every one must have `requiredStatus`. */
  readonly links: AccountLinkReference[];

  /**
   * The status every link must have.
   *
   * @default AccountLinkStatus.LINKED
   */
  readonly requiredStatus?: AccountLinkStatus;

  /**
   * How long to wait for a link that is `PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT` (at most 8 hours).
   *
   * @default - no wait
   */
  readonly waitTimeout?: Duration;

  /**
   * Time between two reads while waiting (at most 1 hour).
   *
   * @default Duration.seconds(15)
   */
  readonly pollInterval?: Duration;

  /**
   * The version of this package that the step runs (`npx --package cdk-workspaces-account-links@<version>`).
   *
   * @default - the version that synthesized the pipeline (a development build, version 0.0.0, must set this)
   */
  readonly packageVersion?: string;

  /**
   * The CodeBuild project's name.
   *
   * @default - generated
   */
  readonly projectName?: string;

  /**
   * The role the CodeBuild project runs as. The step's policy statements are added to it
   * (an imported, immutable role must already allow them).
   *
   * @default - a new role
   */
  readonly role?: iam.IRole;

  /**
   * The role CodePipeline's action assumes to start the build.
   *
   * @default - a new role
   */
  readonly actionRole?: iam.IRole;

  /**
   * The VPC the build runs in (for example, one whose endpoints reach WorkSpaces and STS).
   *
   * @default - no VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Which subnets of `vpc` the build uses.
   *
   * @default - private subnets
   */
  readonly subnetSelection?: ec2.SubnetSelection;

  /**
   * Security groups of the build in `vpc`.
   *
   * @default - a new security group
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The build environment (image, compute type, environment variables).
   *
   * @default - the pipeline's default
   */
  readonly buildEnvironment?: codebuild.BuildEnvironment;

  /**
   * The build's timeout. It must cover every check: each link's wait plus 60 s, plus 10
   * minutes to install the package.
   *
   * @default - exactly that
   */
  readonly timeout?: Duration;

  /**
   * Environment variables of the build (for example `AWS_ENDPOINT_URL_WORKSPACES`).
   *
   * @default - none
   */
  readonly env?: Record<string, string>;

  /**
   * More policy statements for the build's role, besides the step's own.
   *
   * @default - none
   */
  readonly rolePolicyStatements?: iam.PolicyStatement[];

  /**
   * Where the build logs go.
   *
   * @default - CloudWatch Logs, as CodeBuild does
   */
  readonly logging?: codebuild.LoggingOptions;

  /**
   * Commands that run before the checks, in the install phase: in a network with no access
   * to the npm registry, the login to a registry that mirrors it (such as
   * `aws codeartifact login --tool npm --domain … --repository …`), which `npx` then uses.
   *
   * @default - none
   */
  readonly installCommands?: string[];

  /**
   * More of the buildspec, merged with the step's (for example `env` settings, or a proxy).
   *
   * @default - none
   */
  readonly partialBuildSpec?: codebuild.BuildSpec;
}

const PACKAGE_NAME = 'cdk-workspaces-account-links';
/** Installing the package with npx. */
const INSTALL_TIME = Duration.minutes(10);

/**
 * A CDK Pipelines step that fails a stage before any of its stacks deploys when an account
 * link is not `LINKED` (or the required status): it runs `workspaces-account-links check`
 * in CodeBuild. Its role may call `workspaces:GetAccountLink` (only when a link is checked
 * as the build's own account) and assume exactly the roles the links are checked through.
 *
 * @example
 * import { Stage } from 'aws-cdk-lib';
 * import * as pipelines from 'aws-cdk-lib/pipelines';
 * import { AccountLinkCheckStep } from 'cdk-workspaces-account-links';
 *
 * declare const pipeline: pipelines.CodePipeline;
 * declare const prod: Stage;
 *
 * pipeline.addStage(prod, {
 *   pre: [new AccountLinkCheckStep('CheckByolLink', {
 *     links: [{ linkId: 'link-1a2b3c4d' }],
 *     assumeRoleArn: 'arn:aws:iam::444455556666:role/workspaces-link-reader',
 *     packageVersion: '1.0.0',
 *   })],
 * });
 */
export class AccountLinkCheckStep extends pipelines.CodeBuildStep {
  constructor(id: string, props: AccountLinkCheckStepProps) {
    const check = new PropChecks(`AccountLinkCheckStep ${id}`);
    props = check.props(props, true);
    const planned = plannedChecks(check, props);
    const needed = Duration.seconds(planned.length * checkDuration(props).toSeconds() + INSTALL_TIME.toSeconds());
    const timeout = check.duration('timeout', props.timeout);
    if (timeout && timeout.toSeconds() < needed.toSeconds()) {
      check.fail(`timeout (${timeout.toHumanString()}) is shorter than the checks may take `
        + `(${needed.toHumanString()}: ${planned.length} × (the wait + ${Duration.seconds(CHECK_TIMEOUT_MARGIN_SECONDS).toHumanString()}) + ${INSTALL_TIME.toHumanString()} to install)`);
    }
    super(id, {
      commands: planned.map((p) => p.command),
      rolePolicyStatements: [...stepPolicyStatements(planned), ...(props.rolePolicyStatements ?? [])],
      timeout: timeout ?? needed,
      projectName: props.projectName,
      role: props.role,
      actionRole: props.actionRole,
      vpc: props.vpc,
      subnetSelection: props.subnetSelection,
      securityGroups: props.securityGroups,
      buildEnvironment: props.buildEnvironment,
      env: props.env,
      logging: props.logging,
      installCommands: props.installCommands,
      partialBuildSpec: props.partialBuildSpec,
    });
  }

  /**
   * Acknowledges, for policy-validation plugins such as cdk-nag, the one wildcard the step
   * adds to its project's role (`workspaces:GetAccountLink` on `*`: the action has no
   * resource types). The project exists once the pipeline is built: call
   * `pipeline.buildPipeline()` first.
   */
  public acknowledgeWildcard(): void {
    let project: codebuild.IProject;
    try {
      project = this.project;
    } catch {
      throw new Error(`AccountLinkCheckStep ${this.id}: its CodeBuild project does not exist yet: call pipeline.buildPipeline() before acknowledgeWildcard()`);
    }
    // The policy of the role CodeBuild made for the project (none for a role of the user's).
    for (const policy of project.node.findAll().filter((c) => c instanceof iam.CfnPolicy)) {
      acknowledgeFindings(policy as iam.CfnPolicy, {
        rule: 'AwsSolutions-IAM5',
        finding: 'Resource::*',
        reason: 'workspaces:GetAccountLink has no resource types: "*" is the only resource it accepts',
      });
    }
  }
}

/** One `check` command, and the role it assumes (if any). */
interface PlannedCheck {
  readonly command: string;
  readonly assumeRoleArn?: string;
  /** The Region the check runs in; undefined: the build's. */
  readonly region?: string;
}

/** The environment variables by which the SDK (and the check command) calls another WorkSpaces or STS endpoint. */
const ENDPOINT_VARIABLES = ['AWS_ENDPOINT_URL_WORKSPACES', 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL'];

/** A Region named in an endpoint's host (`workspaces.eu-west-1.amazonaws.com`, `vpce-….sts.us-gov-west-1.vpce.amazonaws.com`). */
const REGION_IN_HOST = /(?:^|\.)([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+)\./;

/**
 * An endpoint override in `env` serves every check of the step, so it holds for one Region
 * only: the checks must all run in that Region.
 */
function checkEndpointRegions(check: PropChecks, env: Record<string, string> | undefined, regions: (string | undefined)[]): void {
  for (const name of ENDPOINT_VARIABLES) {
    const endpoint = env?.[name];
    if (endpoint === undefined || Token.isUnresolved(endpoint)) continue;
    const distinct = [...new Set(regions)];
    if (distinct.length > 1) {
      check.fail(`env ${name} (${endpoint}) serves every check, but the checks run in ${distinct.map((r) => r ?? 'the build\'s Region').join(' and ')}: `
        + 'one endpoint serves one Region, so check the links of another Region in a step of their own');
    }
    let host: string | undefined;
    try {
      host = new URL(endpoint).hostname;
    } catch {
      check.fail(`env ${name} ${JSON.stringify(endpoint)} is not a URL`);
    }
    const endpointRegion = REGION_IN_HOST.exec(host)?.[1];
    const region = distinct[0];
    if (endpointRegion && region !== undefined && !Token.isUnresolved(region) && region !== endpointRegion) {
      check.fail(`env ${name} (${endpoint}) is an endpoint in ${endpointRegion}, but the checks run in ${region}`);
    }
  }
}

function plannedChecks(check: PropChecks, props: AccountLinkCheckStepProps): PlannedCheck[] {
  const links = props.links as unknown;
  if (!Array.isArray(links)) check.fail(`links must be a list of links, got ${JSON.stringify(links)}`);
  if (links.length === 0) check.fail('links is empty');
  const version = check.string('packageVersion', props.packageVersion) ?? ownVersion();
  if (version === '0.0.0') {
    check.fail(`this is a development build of ${PACKAGE_NAME} (version 0.0.0), which the registry does not have: `
      + 'set packageVersion to a published version');
  }
  const requiredStatus = check.status('requiredStatus', props.requiredStatus) ?? AccountLinkStatus.LINKED;
  const pollInterval = check.duration('pollInterval', props.pollInterval);
  // The command's own rule and limits, checked here so that a pipeline never fails on them.
  const wait = check.wait(check.duration('waitTimeout', props.waitTimeout), pollInterval, CHECK_WAIT_LIMITS);
  const gateOptions = [
    `--require ${requiredStatus}`,
    ...(wait ? [`--wait ${wait.waitSeconds}s`] : []),
    ...(wait && pollInterval ? [`--poll ${wait.pollSeconds}s`] : []),
  ];
  const planned = (links as AccountLinkReference[]).map((link, index) => {
    const name = `links[${index}]`;
    const linkId = check.string(`${name}.linkId`, link.linkId, LINK_ID_PATTERN);
    const linkedAccountId = check.string(`${name}.linkedAccountId`, link.linkedAccountId, ACCOUNT_ID_PATTERN);
    check.exactlyOne([`${name}.linkId`, `${name}.linkedAccountId`], [linkId, linkedAccountId]);
    const lookup = linkId !== undefined ? `--link-id ${linkId}` : `--linked-account-id ${linkedAccountId}`;
    // A link that names its own role brings its own external id; the Region falls back on its own.
    const access = link.assumeRoleArn !== undefined
      ? { assumeRoleArn: link.assumeRoleArn, externalId: link.externalId, region: link.region ?? props.region }
      : { assumeRoleArn: props.assumeRoleArn, externalId: link.externalId ?? props.externalId, region: link.region ?? props.region };
    const problem = accessProblem(access, ACCESS_OPTION_NAMES, Token.isUnresolved);
    if (problem) check.fail(`${name}: ${problem}`);
    const accessOptions = [
      ...(access.assumeRoleArn !== undefined ? [`--assume-role ${access.assumeRoleArn}`] : []),
      ...(access.externalId !== undefined ? [`--external-id ${access.externalId}`] : []),
      ...(access.region !== undefined ? [`--region ${access.region}`] : []),
    ];
    const command = ['npx --yes', `--package ${PACKAGE_NAME}@${version}`, 'workspaces-account-links check', lookup, ...gateOptions, ...accessOptions];
    return { command: command.join(' '), assumeRoleArn: access.assumeRoleArn, region: access.region };
  });
  checkEndpointRegions(check, props.env, planned.map((p) => p.region));
  return planned;
}

/**
 * Exactly what the checks need: GetAccountLink for the checks made as the build's own
 * account, and AssumeRole on each role a check runs as.
 */
function stepPolicyStatements(checks: PlannedCheck[]): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  if (checks.some((check) => check.assumeRoleArn === undefined)) {
    statements.push(new iam.PolicyStatement({
      actions: ['workspaces:GetAccountLink'],
      // The action has no resource types: "*" is the only resource it accepts.
      resources: ['*'],
    }));
  }
  const roles = [...new Set(checks.flatMap((check) => (check.assumeRoleArn !== undefined ? [check.assumeRoleArn] : [])))];
  if (roles.length > 0) {
    statements.push(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: roles }));
  }
  return statements;
}

/** The longest one check may take: its wait and the command's own margin. */
function checkDuration(props: AccountLinkCheckStepProps): Duration {
  return Duration.seconds((props.waitTimeout?.toSeconds() ?? 0) + CHECK_TIMEOUT_MARGIN_SECONDS);
}

/** This package's version, from its package.json (lib/ and src/ sit at the same depth). */
function ownVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(__dirname, '..', '..', 'package.json')).version;
}
