import { CustomResource, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { accessProperties } from '../access';
import { AccountLinkAccessOptions } from '../access-options';
import { AccountLinksFunction, DEFAULT_SERVICE_TIMEOUT } from '../account-links-function';
import { ACCOUNT_ID_PATTERN, LINK_ID_PATTERN, Property, ResourceType } from '../contract';
import { linkAttributes } from '../link-attributes';

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
 * const acceptance = new AccountLinkAcceptance(this, 'Accept', { linkId: 'link-1a2b3c4d' });
 * const gate = new AccountLink(this, 'Gate', { linkId: 'link-1a2b3c4d', requiredStatus: AccountLinkStatus.LINKED });
 * gate.node.addDependency(acceptance);
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
    const fail = (message: string) => {
      throw new Error(`AccountLinkAcceptance ${this.node.path}: ${message}`);
    };
    const { linkId, sourceAccountId } = props;
    if ((linkId === undefined) === (sourceAccountId === undefined)) fail('set exactly one of linkId and sourceAccountId');
    if (linkId !== undefined && !Token.isUnresolved(linkId) && !LINK_ID_PATTERN.test(linkId)) {
      fail(`linkId ${JSON.stringify(linkId)} does not match ${LINK_ID_PATTERN.source}`);
    }
    if (sourceAccountId !== undefined && !Token.isUnresolved(sourceAccountId) && !ACCOUNT_ID_PATTERN.test(sourceAccountId)) {
      fail(`sourceAccountId ${JSON.stringify(sourceAccountId)} does not match ${ACCOUNT_ID_PATTERN.source}`);
    }
    const provider = AccountLinksFunction.of(this);
    provider.grantWorkSpacesActions(props.reject ? 'RejectAccountLinkInvitation' : 'AcceptAccountLinkInvitation');

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: ResourceType.ACCEPTANCE,
      serviceTimeout: DEFAULT_SERVICE_TIMEOUT,
      properties: {
        [Property.LINK_ID]: linkId,
        [Property.SOURCE_ACCOUNT_ID]: sourceAccountId,
        [Property.REJECT]: props.reject ? 'true' : undefined,
        ...accessProperties(`AccountLinkAcceptance ${this.node.path}`, provider, props),
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
