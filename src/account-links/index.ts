import { CustomResource, Fn, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { accessProperties } from '../access';
import { AccountLinkAccessOptions } from '../access-options';
import { AccountLinkStatus } from '../account-link-status';
import { AccountLinksProvider } from '../account-links-provider';
import { LinksAttribute, LIST_SEPARATOR, Property, ResourceType } from '../contract';
import { linkResource } from '../link-resource';
import { readNonce } from '../read-nonce';
import { PropChecks } from '../synth-checks';

/** Properties of AccountLinks. */
export interface AccountLinksProps extends AccountLinkAccessOptions {
  /**
   * Only links with one of these statuses.
   *
   * @default - links of every status
   */
  readonly statusFilter?: AccountLinkStatus[];

  /**
   * Read the links again on every deployment (see AccountLinkProps.readOnEveryDeployment).
   *
   * @default false
   */
  readonly readOnEveryDeployment?: boolean;
}

/**
 * Reads every WorkSpaces account link of the account at deployment time (ListAccountLinks,
 * every page) and exposes them as CloudFormation attributes: lists in the API's order,
 * aligned by index.
 *
 * With no link at all, `count` is 0 and each list holds one empty string (what
 * `Fn::Split` makes of an empty string).
 *
 * @example
 * import { CfnOutput, Stack, Token } from 'aws-cdk-lib';
 * import { AccountLinks, AccountLinkStatus } from 'cdk-workspaces-account-links';
 *
 * declare const stack: Stack;
 *
 * const linked = new AccountLinks(stack, 'Linked', { statusFilter: [AccountLinkStatus.LINKED] });
 * new CfnOutput(stack, 'LinkedCount', { value: Token.asString(linked.count) });
 */
export class AccountLinks extends Construct {
  /** How many links matched (attribute `Count`). */
  public readonly count: number;
  /** Link ids (attribute `AccountLinkIds`, comma-joined). */
  public readonly accountLinkIds: string[];
  /** Link statuses (attribute `AccountLinkStatuses`, comma-joined). */
  public readonly accountLinkStatuses: string[];
  /** Source account ids (attribute `SourceAccountIds`, comma-joined). */
  public readonly sourceAccountIds: string[];
  /** Target account ids (attribute `TargetAccountIds`, comma-joined). */
  public readonly targetAccountIds: string[];

  /** The underlying `Custom::WorkSpacesAccountLinks` resource. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: AccountLinksProps = {}) {
    super(scope, id);
    const check = new PropChecks(`AccountLinks ${this.node.path}`);
    props = check.props(props, false);
    const statusFilter = check.statusList('statusFilter', props.statusFilter) ?? [];
    const duplicates = statusFilter.filter((status, index) => statusFilter.indexOf(status) !== index);
    if (duplicates.length > 0) check.fail(`statusFilter lists ${duplicates.join(', ')} more than once`);
    const readOnEveryDeployment = check.boolean('readOnEveryDeployment', props.readOnEveryDeployment);

    const provider = AccountLinksProvider.of(this);
    this.resource = linkResource(this, provider, {
      resourceType: ResourceType.ACCOUNT_LINKS,
      properties: {
        [Property.LINK_STATUS_FILTER]: statusFilter.length > 0 ? statusFilter : undefined,
        [Property.READ_NONCE]: readOnEveryDeployment ? readNonce(this) : undefined,
        ...accessProperties(check, provider, props),
      },
    });
    const list = (attribute: string) => Fn.split(LIST_SEPARATOR, this.resource.getAttString(attribute));
    this.count = Token.asNumber(this.resource.getAtt(LinksAttribute.COUNT));
    this.accountLinkIds = list(LinksAttribute.ACCOUNT_LINK_IDS);
    this.accountLinkStatuses = list(LinksAttribute.ACCOUNT_LINK_STATUSES);
    this.sourceAccountIds = list(LinksAttribute.SOURCE_ACCOUNT_IDS);
    this.targetAccountIds = list(LinksAttribute.TARGET_ACCOUNT_IDS);
  }
}
