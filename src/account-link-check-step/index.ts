import * as path from 'node:path';
import { Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { AccountLinkStatus } from '../account-link-status';
import { ACCOUNT_ID_PATTERN, LINK_ID_PATTERN } from '../contract';

/** One link to check: exactly one of `linkId` and `linkedAccountId`. */
export interface AccountLinkReference {
  /**
   * The account link's id.
   *
   * @default - look the link up by `linkedAccountId`
   */
  readonly linkId?: string;

  /**
   * The 12-digit id of an account on either side of the link.
   *
   * @default - look the link up by `linkId`
   */
  readonly linkedAccountId?: string;
}

/** Properties of an AccountLinkCheckStep. */
export interface AccountLinkCheckStepProps {
  /** The links to check; every one must have `requiredStatus`. */
  readonly links: AccountLinkReference[];

  /**
   * The status every link must have.
   *
   * @default AccountLinkStatus.LINKED
   */
  readonly requiredStatus?: AccountLinkStatus;

  /**
   * How long to wait for a link that is `PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT`.
   *
   * @default - no wait
   */
  readonly waitTimeout?: Duration;

  /**
   * Time between two reads while waiting.
   *
   * @default Duration.seconds(15)
   */
  readonly pollInterval?: Duration;

  /**
   * The WorkSpaces Region.
   *
   * @default - the Region the CodeBuild project runs in
   */
  readonly region?: string;

  /**
   * The version of this package that the step runs (`npx --package cdk-workspaces-account-links@<version>`).
   *
   * @default - the version that synthesized the pipeline
   */
  readonly packageVersion?: string;
}

const PACKAGE_NAME = 'cdk-workspaces-account-links';

/**
 * A CDK Pipelines step that fails a stage before any of its stacks deploys when an account
 * link is not `LINKED` (or the required status): it runs `workspaces-account-links check`
 * in CodeBuild, with a role that may call `workspaces:GetAccountLink` and nothing else of
 * WorkSpaces.
 *
 * @example
 * pipeline.addStage(prod, {
 *   pre: [new AccountLinkCheckStep('CheckByolLink', { links: [{ linkId: 'link-1a2b3c4d' }] })],
 * });
 */
export class AccountLinkCheckStep extends pipelines.CodeBuildStep {
  constructor(id: string, props: AccountLinkCheckStepProps) {
    const commands = checkCommands(id, props);
    const waitSeconds = props.waitTimeout?.toSeconds() ?? 0;
    super(id, {
      commands,
      rolePolicyStatements: [new iam.PolicyStatement({
        actions: ['workspaces:GetAccountLink'],
        // The action has no resource types: "*" is the only resource it accepts.
        resources: ['*'],
      })],
      // Each link may wait its full waitTimeout; 10 minutes cover installing the package.
      timeout: Duration.seconds(commands.length * waitSeconds + 600),
    });
  }
}

function checkCommands(id: string, props: AccountLinkCheckStepProps): string[] {
  if (props.links.length === 0) {
    throw new Error(`AccountLinkCheckStep ${id}: links is empty`);
  }
  const version = props.packageVersion ?? ownVersion();
  const options = [
    `--require ${props.requiredStatus ?? AccountLinkStatus.LINKED}`,
    ...(props.waitTimeout ? [`--wait ${wholeSeconds(id, 'waitTimeout', props.waitTimeout)}s`] : []),
    ...(props.pollInterval ? [`--poll ${wholeSeconds(id, 'pollInterval', props.pollInterval)}s`] : []),
    ...(props.region ? [`--region ${props.region}`] : []),
  ];
  if (props.pollInterval && !props.waitTimeout) {
    throw new Error(`AccountLinkCheckStep ${id}: pollInterval needs waitTimeout`);
  }
  if (props.pollInterval && props.waitTimeout && props.pollInterval.toSeconds() >= props.waitTimeout.toSeconds()) {
    throw new Error(`AccountLinkCheckStep ${id}: pollInterval must be shorter than waitTimeout`);
  }
  return props.links.map((link) => {
    if ((link.linkId === undefined) === (link.linkedAccountId === undefined)) {
      throw new Error(`AccountLinkCheckStep ${id}: each link needs exactly one of linkId and linkedAccountId`);
    }
    const lookup = link.linkId !== undefined
      ? `--link-id ${checked(id, 'linkId', link.linkId, LINK_ID_PATTERN)}`
      : `--linked-account-id ${checked(id, 'linkedAccountId', link.linkedAccountId!, ACCOUNT_ID_PATTERN)}`;
    return ['npx --yes', `--package ${PACKAGE_NAME}@${version}`, 'workspaces-account-links check', lookup, ...options].join(' ');
  });
}

function checked(id: string, name: string, value: string, pattern: RegExp): string {
  if (!Token.isUnresolved(value) && !pattern.test(value)) {
    throw new Error(`AccountLinkCheckStep ${id}: ${name} ${JSON.stringify(value)} does not match ${pattern.source}`);
  }
  return value;
}

function wholeSeconds(id: string, name: string, duration: Duration): number {
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new Error(`AccountLinkCheckStep ${id}: ${name} (${duration.toHumanString()}) must be a whole number of seconds, at least 1`);
  }
  return seconds;
}

/** This package's version, from its package.json (lib/ and src/ sit at the same depth). */
function ownVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(__dirname, '..', '..', 'package.json')).version;
}
