import { CfnOutput, Duration, Fn, Stack, StackProps, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
// In your app: import { AccountLink, ... } from 'cdk-workspaces-account-links';
import {
  AccountLink, AccountLinkAcceptance, AccountLinkAcceptRole, AccountLinkInvitation, AccountLinks, AccountLinksProvider, AccountLinkStatus,
  AccountLinkTargets,
} from '../src';

/** What a WorkSpaces BYOL shop writes: read a link and the linked accounts, and gate on LINKED. */
export class ExampleStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // One link, by its id: its status and both accounts become stack outputs.
    const link = new AccountLink(this, 'ByolLink', { linkId: 'link-1a2b3c4d' });
    new CfnOutput(this, 'LinkId', { value: link.accountLinkId });
    new CfnOutput(this, 'LinkStatus', { value: link.accountLinkStatus });
    new CfnOutput(this, 'SourceAccount', { value: link.sourceAccountId });
    new CfnOutput(this, 'TargetAccount', { value: link.targetAccountId });

    // Every link that is LINKED: how many, and the first target account.
    const linked = new AccountLinks(this, 'LinkedAccounts', { statusFilter: [AccountLinkStatus.LINKED] });
    new CfnOutput(this, 'LinkedCount', { value: Token.asString(linked.count) });
    new CfnOutput(this, 'FirstLinkedTarget', { value: Fn.select(0, linked.targetAccountIds) });

    // A gate: the target account 222233334444 has not accepted yet; wait up to 5 minutes.
    const gate = new AccountLink(this, 'NewTargetGate', {
      linkedAccountId: '222233334444',
      requiredStatus: AccountLinkStatus.LINKED,
      waitTimeout: Duration.minutes(5),
      pollInterval: Duration.seconds(1),
    });
    new CfnOutput(this, 'GatedLinkId', { value: gate.accountLinkId });
  }
}

/** A stack whose gate must fail: its link was rejected by the target account. */
export class RejectedLinkStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const gate = new AccountLink(this, 'RejectedGate', {
      linkId: 'link-9a8b7c6d',
      requiredStatus: AccountLinkStatus.LINKED,
    });
    new CfnOutput(this, 'GatedLinkId', { value: gate.accountLinkId });
  }
}

/** The BYOL owner's side of the handshake: invite a new target account. */
export class ByolSourceStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps & { readonly targetAccountId: string }) {
    super(scope, id, props);

    const invitation = new AccountLinkInvitation(this, 'Invite', { targetAccountId: props.targetAccountId });
    new CfnOutput(this, 'InvitationLinkId', { value: invitation.accountLinkId });
    new CfnOutput(this, 'InvitedAccount', { value: invitation.targetAccountId });
  }
}

/** The target's side: accept the source's invitation, then gate on LINKED. */
export class ByolTargetStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps & { readonly sourceAccountId: string }) {
    super(scope, id, props);

    // By the source account: the target needs no link id from the source's deployment.
    const acceptance = new AccountLinkAcceptance(this, 'Accept', { sourceAccountId: props.sourceAccountId });
    const gate = new AccountLink(this, 'Gate', { linkId: acceptance.accountLinkId, requiredStatus: AccountLinkStatus.LINKED });
    new CfnOutput(this, 'LinkId', { value: gate.accountLinkId });
    new CfnOutput(this, 'LinkStatus', { value: gate.accountLinkStatus });
  }
}

/**
 * A whole business unit: the source links every account of an organizational unit (and
 * its nested units) through one resource, accepting in each through the role a StackSet
 * puts there, and gates on all of them being LINKED.
 */
export class ByolOrganizationStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps & { readonly organizationalUnitId: string }) {
    super(scope, id, props);

    // In the management account in practice: the accept role in every account of the unit.
    const acceptRoles = AccountLinkAcceptRole.stackSet(this, 'AcceptRoles', {
      organizationalUnitIds: [props.organizationalUnitId],
      trustedRoleArn: AccountLinksProvider.of(this).role.roleArn,
    });
    const targets = new AccountLinkTargets(this, 'BusinessUnit', {
      organizationalUnitIds: [props.organizationalUnitId],
      includeNestedOrganizationalUnits: true,
      acceptRoleName: AccountLinkAcceptRole.DEFAULT_ROLE_NAME,
      requiredStatus: AccountLinkStatus.LINKED,
      waitTimeout: Duration.minutes(30),
      // Between deployments too: an account that joins the unit is linked within the hour.
      reconcileEvery: Duration.hours(1),
    });
    // The roles first: the targets accept through them.
    targets.node.addDependency(acceptRoles);
    new CfnOutput(this, 'TargetCount', { value: Token.asString(targets.targetCount) });
    new CfnOutput(this, 'LinkedCount', { value: Token.asString(targets.linkedCount) });
  }
}
