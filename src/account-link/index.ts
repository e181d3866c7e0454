import { CustomResource, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AccountLinksFunction, DEFAULT_SERVICE_TIMEOUT } from '../account-links-function';
import { ACCOUNT_ID_PATTERN, LINK_ID_PATTERN, LinkAttribute, Property, ResourceType } from '../contract';

/**
 * Properties of an AccountLink: exactly one of `linkId` and `linkedAccountId`.
 */
export interface AccountLinkProps {
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
}

/**
 * Reads one WorkSpaces account link at deployment time (GetAccountLink) and exposes it as
 * CloudFormation attributes.
 *
 * @example
 * const link = new AccountLink(this, 'Link', { linkId: 'link-1a2b3c4d' });
 * new CfnOutput(this, 'LinkStatus', { value: link.accountLinkStatus });
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
    const linkId = checked('linkId', props.linkId, LINK_ID_PATTERN);
    const linkedAccountId = checked('linkedAccountId', props.linkedAccountId, ACCOUNT_ID_PATTERN);
    if ((linkId === undefined) === (linkedAccountId === undefined)) {
      throw new Error(`AccountLink ${this.node.path}: set exactly one of linkId and linkedAccountId`);
    }

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: AccountLinksFunction.of(this).serviceToken,
      resourceType: ResourceType.ACCOUNT_LINK,
      serviceTimeout: DEFAULT_SERVICE_TIMEOUT,
      properties: {
        [Property.LINK_ID]: linkId,
        [Property.LINKED_ACCOUNT_ID]: linkedAccountId,
      },
    });
    this.accountLinkId = this.resource.getAttString(LinkAttribute.ACCOUNT_LINK_ID);
    this.accountLinkStatus = this.resource.getAttString(LinkAttribute.ACCOUNT_LINK_STATUS);
    this.sourceAccountId = this.resource.getAttString(LinkAttribute.SOURCE_ACCOUNT_ID);
    this.targetAccountId = this.resource.getAttString(LinkAttribute.TARGET_ACCOUNT_ID);
  }
}

/** A literal must match the API's pattern; a token is checked by the handler at deploy time. */
function checked(name: string, value: string | undefined, pattern: RegExp): string | undefined {
  if (value !== undefined && !Token.isUnresolved(value) && !pattern.test(value)) {
    throw new Error(`${name} ${JSON.stringify(value)} does not match ${pattern.source}`);
  }
  return value;
}
