import { CustomResource } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { accessProperties } from '../access';
import { AccountLinkAccessOptions } from '../access-options';
import { AccountLinksProvider } from '../account-links-provider';
import { ACCOUNT_ID_PATTERN, LINK_ID_PATTERN, Property, ResourceType } from '../contract';
import { linkAttributes } from '../link-attributes';
import { linkResource } from '../link-resource';
import { PropChecks } from '../synth-checks';

/** Properties of an AccountLinkAcceptance. */
export interface AccountLinkAcceptanceProps extends AccountLinkAccessOptions {
  /**
   * The id of the link the source account's invitation created (`link-...`).
   *
   * @default - find the invitation by `sourceAccountId`
   */
  readonly linkId?: string;

  /**
   * The account that sent the invitation: the handler finds the invitation's link id with
   * GetAccountLink, so the target stack needs no id from the source's deployment.
   *
   * @default - the invitation is given by `linkId`
   */
  readonly sourceAccountId?: string;

  /**
   * Reject the invitation instead of accepting it.
   *
   * @default false
   */
  readonly reject?: boolean;
}

/**
 * Answers an account link invitation in the target account: AcceptAccountLinkInvitation
 * (or RejectAccountLinkInvitation with `reject: true`), for an invitation given by its link
 * id or by the account that sent it. Answering as before (accepting a link
 * that is already `LINKED`) succeeds. An answer cannot be taken back: removing the resource
 * leaves the link as it is.
 *
 * @example
 * import { Stack } from 'aws-cdk-lib';
 * import { AccountLink, AccountLinkAcceptance, AccountLinkStatus } from 'cdk-workspaces-account-links';
 *
 * declare const targetStack: Stack;
 *
 * // In the invited (target) account: accept the source account's invitation, then gate on LINKED.
 * const acceptance = new AccountLinkAcceptance(targetStack, 'Accept', { sourceAccountId: '111122223333' });
 * new AccountLink(targetStack, 'Gate', { linkId: acceptance.accountLinkId, requiredStatus: AccountLinkStatus.LINKED });
 */
export class AccountLinkAcceptance extends Construct {
  /** The link's id (attribute `AccountLinkId`). */
  public readonly accountLinkId: string;
  /** The link's status after the answer: `LINKED` or `REJECTED` (attribute `AccountLinkStatus`). */
  public readonly accountLinkStatus: string;
  /** The inviting account (attribute `SourceAccountId`). */
  public readonly sourceAccountId: string;
  /** This (invited) account (attribute `TargetAccountId`). */
  public readonly targetAccountId: string;

  /** The underlying `Custom::WorkSpacesAccountLinkAcceptance` resource. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: AccountLinkAcceptanceProps) {
    super(scope, id);
    const check = new PropChecks(`AccountLinkAcceptance ${this.node.path}`);
    props = check.props(props, true);
    const linkId = check.string('linkId', props.linkId, LINK_ID_PATTERN);
    const sourceAccountId = check.string('sourceAccountId', props.sourceAccountId, ACCOUNT_ID_PATTERN);
    check.exactlyOne(['linkId', 'sourceAccountId'], [linkId, sourceAccountId]);
    const reject = check.boolean('reject', props.reject);
    const provider = AccountLinksProvider.of(this);
    provider._grantWorkSpacesActions(reject ? 'RejectAccountLinkInvitation' : 'AcceptAccountLinkInvitation');

    this.resource = linkResource(this, provider, {
      resourceType: ResourceType.ACCEPTANCE,
      properties: {
        [Property.LINK_ID]: linkId,
        [Property.SOURCE_ACCOUNT_ID]: sourceAccountId,
        [Property.REJECT]: reject ? 'true' : undefined,
        ...accessProperties(check, provider, props),
      },
    });
    ({
      accountLinkId: this.accountLinkId,
      accountLinkStatus: this.accountLinkStatus,
      sourceAccountId: this.sourceAccountId,
      targetAccountId: this.targetAccountId,
    } = linkAttributes(this.resource));
  }
}
