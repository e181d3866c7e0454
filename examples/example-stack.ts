import { CfnOutput, Duration, Fn, Stack, StackProps, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
// In your app: import { AccountLink, AccountLinks, AccountLinkStatus } from 'cdk-workspaces-account-links';
import { AccountLink, AccountLinks, AccountLinkStatus } from '../src';

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
