import { CustomResource, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { accessProperties, roleAccount } from '../access';
import { AccountLinkAccessOptions } from '../access-options';
import { AccountLinksProvider } from '../account-links-provider';
import { ACCOUNT_ID_PATTERN, Property, ResourceType } from '../contract';
import { linkAttributes } from '../link-attributes';
import { linkResource } from '../link-resource';
import { PropChecks } from '../synth-checks';

/** Properties of an AccountLinkInvitation. */
export interface AccountLinkInvitationProps extends AccountLinkAccessOptions {
  /** The 12-digit account to invite: it shares this (source) account's BYOL hardware once it accepts. */
  readonly targetAccountId: string;

  /**
   * What happens to the invitation when the resource leaves the stack. `DESTROY` deletes an
   * invitation that is not yet accepted; a `LINKED` link is always left in place, as the API
   * cannot unlink it. `RETAIN` leaves the invitation either way.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Invites a target account to share this (source) account's BYOL hardware:
 * CreateAccountLinkInvitation. Idempotent: the ClientToken is derived from the stack, the
 * resource and the target, so CloudFormation's retries never create two invitations; a
 * target that is already linked or invited adopts the existing link. The target accepts
 * with an AccountLinkAcceptance in its own stack.
 *
 * @example
 * import { CfnOutput, Stack } from 'aws-cdk-lib';
 * import { AccountLinkInvitation } from 'cdk-workspaces-account-links';
 *
 * declare const sourceStack: Stack;
 *
 * // In the source account (the one with the BYOL hardware): invite the target account.
 * const invitation = new AccountLinkInvitation(sourceStack, 'Invite', { targetAccountId: '444455556666' });
 * new CfnOutput(sourceStack, 'LinkId', { value: invitation.accountLinkId });
 */
export class AccountLinkInvitation extends Construct {
  /** The link's id (attribute `AccountLinkId`). */
  public readonly accountLinkId: string;
  /** The link's status when the invitation was created or adopted (attribute `AccountLinkStatus`). */
  public readonly accountLinkStatus: string;
  /** The inviting account (attribute `SourceAccountId`). */
  public readonly sourceAccountId: string;
  /** The invited account (attribute `TargetAccountId`). */
  public readonly targetAccountId: string;

  /** The underlying `Custom::WorkSpacesAccountLinkInvitation` resource. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: AccountLinkInvitationProps) {
    super(scope, id);
    const check = new PropChecks(`AccountLinkInvitation ${this.node.path}`);
    props = check.props(props, true);
    const target = check.string('targetAccountId', props.targetAccountId, ACCOUNT_ID_PATTERN) ?? check.fail('targetAccountId is required');
    const removalPolicy = check.oneOf('removalPolicy', props.removalPolicy, Object.values(RemovalPolicy));
    // The source is the account the handler calls in: the assumed role's, or the stack's.
    const source = roleAccount(props.assumeRoleArn) ?? (props.assumeRoleArn === undefined ? Stack.of(this).account : undefined);
    if (source !== undefined && !Token.isUnresolved(source) && source === target) {
      check.fail(`account ${target} cannot invite itself`);
    }
    const provider = AccountLinksProvider.of(this);
    // Create on Create and Update; Delete on Delete; GetAccountLink (granted to every lookup)
    // to adopt a link and to see whether it may be deleted.
    provider._grantWorkSpacesActions('CreateAccountLinkInvitation', 'DeleteAccountLinkInvitation');

    this.resource = linkResource(this, provider, {
      resourceType: ResourceType.INVITATION,
      removalPolicy: removalPolicy ?? RemovalPolicy.DESTROY,
      properties: {
        [Property.TARGET_ACCOUNT_ID]: target,
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
