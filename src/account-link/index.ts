import { CustomResource, Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { accessProperties } from '../access';
import { AccountLinkAccessOptions } from '../access-options';
import { AccountLinkStatus } from '../account-link-status';
import { AccountLinksProvider } from '../account-links-provider';
import { DEFAULT_SERVICE_TIMEOUT } from '../account-links-provider/handler-settings';
import {
  ACCOUNT_ID_PATTERN,
  CheckedWait,
  LINK_ID_PATTERN,
  MAX_SERVICE_TIMEOUT_SECONDS,
  Property,
  RESOURCE_WAIT_LIMITS,
  ResourceType,
  SERVICE_TIMEOUT_MARGIN_SECONDS,
} from '../contract';
import { linkAttributes } from '../link-attributes';
import { linkResource } from '../link-resource';
import { readNonce } from '../read-nonce';
import { PropChecks } from '../synth-checks';

/**
 * Properties of an AccountLink: exactly one of `linkId` and `linkedAccountId`, and
 * optionally a status the link must have.
 */
export interface AccountLinkProps extends AccountLinkAccessOptions {
  /**
   * The account link's id (`link-` and 8 to 24 characters).
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

  /**
   * Fail the deployment unless the link has this status. The reason names the link, the
   * status seen, the status required and what to do.
   *
   * @default - any status: the link is only read
   */
  readonly requiredStatus?: AccountLinkStatus;

  /**
   * How long to wait, while the link is `PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT`, for it to
   * reach `requiredStatus`. Other statuses, and a missing link, fail at once. At most 1 hour
   * (CloudFormation's limit for a custom resource); the wait ends 3 minutes before the
   * resource's ServiceTimeout, so a 1-hour wait lasts 57 minutes.
   *
   * @default - no wait: fail at once unless the status is `requiredStatus`
   */
  readonly waitTimeout?: Duration;

  /**
   * Time between two reads while waiting.
   *
   * @default Duration.seconds(15)
   */
  readonly pollInterval?: Duration;

  /**
   * Read the link again on every deployment. CloudFormation runs a custom resource only
   * when its properties change, so without this the attributes (and the gate) keep the
   * value of the deployment that created or last changed the resource. Adds a property
   * that changes on every synthesis; pin it with the context key
   * `cdk-workspaces-account-links:readNonce` for deterministic snapshots.
   *
   * @default false
   */
  readonly readOnEveryDeployment?: boolean;
}

/**
 * Reads one WorkSpaces account link at deployment time (GetAccountLink) and exposes it as
 * CloudFormation attributes; optionally gates the deployment on its status.
 *
 * To make other resources wait for the gate, make them depend on it:
 * `workload.node.addDependency(link)`.
 *
 * @example
 * import { CfnOutput, Stack } from 'aws-cdk-lib';
 * import { AccountLink } from 'cdk-workspaces-account-links';
 *
 * declare const stack: Stack;
 *
 * const link = new AccountLink(stack, 'Link', { linkId: 'link-1a2b3c4d' });
 * new CfnOutput(stack, 'LinkStatus', { value: link.accountLinkStatus });
 */
export class AccountLink extends Construct {
  /** The link's id (attribute `AccountLinkId`). */
  public readonly accountLinkId: string;
  /** The link's status, one of AccountLinkStatus's values (attribute `AccountLinkStatus`). */
  public readonly accountLinkStatus: string;
  /** The account that shares its BYOL hardware (attribute `SourceAccountId`). */
  public readonly sourceAccountId: string;
  /** The account the hardware is shared with (attribute `TargetAccountId`). */
  public readonly targetAccountId: string;

  /** The underlying `Custom::WorkSpacesAccountLink` resource. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: AccountLinkProps) {
    super(scope, id);
    const check = new PropChecks(`AccountLink ${this.node.path}`);
    props = check.props(props, true);
    const linkId = check.string('linkId', props.linkId, LINK_ID_PATTERN);
    const linkedAccountId = check.string('linkedAccountId', props.linkedAccountId, ACCOUNT_ID_PATTERN);
    check.exactlyOne(['linkId', 'linkedAccountId'], [linkId, linkedAccountId]);
    const requiredStatus = check.status('requiredStatus', props.requiredStatus);
    const wait = resourceWait(check.wait(check.duration('waitTimeout', props.waitTimeout), check.duration('pollInterval', props.pollInterval),
      RESOURCE_WAIT_LIMITS));
    if (wait && requiredStatus === undefined) check.fail('waitTimeout needs requiredStatus: the status to wait for');
    const readOnEveryDeployment = check.boolean('readOnEveryDeployment', props.readOnEveryDeployment);
    const provider = AccountLinksProvider.of(this);

    this.resource = linkResource(this, provider, {
      resourceType: ResourceType.ACCOUNT_LINK,
      serviceTimeout: wait ? Duration.seconds(wait.serviceTimeoutSeconds) : undefined,
      properties: {
        [Property.LINK_ID]: linkId,
        [Property.LINKED_ACCOUNT_ID]: linkedAccountId,
        [Property.REQUIRED_STATUS]: requiredStatus,
        [Property.WAIT_TIMEOUT_SECONDS]: wait?.waitSeconds,
        [Property.POLL_INTERVAL_SECONDS]: wait?.pollSeconds,
        [Property.READ_NONCE]: readOnEveryDeployment ? readNonce(this) : undefined,
        ...accessProperties(check, provider, props),
      },
    });
    if (wait) {
      // A wait may outlast one invocation: the handler then invokes itself.
      this.resource.node.addDependency(provider._grantSelfInvoke());
    }
    ({
      accountLinkId: this.accountLinkId,
      accountLinkStatus: this.accountLinkStatus,
      sourceAccountId: this.sourceAccountId,
      targetAccountId: this.targetAccountId,
    } = linkAttributes(this.resource));
  }
}

interface ResourceWait extends CheckedWait {
  readonly serviceTimeoutSeconds: number;
}

/** The wait within the custom resource's ServiceTimeout, which it sets: never shorter than the default. */
function resourceWait(wait: CheckedWait | undefined): ResourceWait | undefined {
  if (!wait) return undefined;
  // Never shorter than the default: the function's maximum event age must not outlast any resource's wait.
  const serviceTimeoutSeconds = Math.min(MAX_SERVICE_TIMEOUT_SECONDS,
    Math.max(DEFAULT_SERVICE_TIMEOUT.toSeconds(), wait.waitSeconds + SERVICE_TIMEOUT_MARGIN_SECONDS));
  return {
    // The wait ends SERVICE_TIMEOUT_MARGIN_SECONDS before ServiceTimeout, so the answer arrives in time.
    waitSeconds: Math.min(wait.waitSeconds, serviceTimeoutSeconds - SERVICE_TIMEOUT_MARGIN_SECONDS),
    pollSeconds: wait.pollSeconds,
    serviceTimeoutSeconds,
  };
}
