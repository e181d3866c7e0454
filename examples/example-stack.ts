import { CfnOutput, Stack, StackProps, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
// In your app: import { AccountLink, AccountLinks, AccountLinkStatus } from 'cdk-workspaces-account-links';
import { AccountLink, AccountLinks, AccountLinkStatus } from '../src';

/** What a WorkSpaces BYOL shop writes: read a link and the linked accounts, as stack outputs. */
export class ExampleStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // One link, by its id: its status and both accounts become stack outputs.
    const link = new AccountLink(this, 'ByolLink', { linkId: 'link-1a2b3c4d' });
    new CfnOutput(this, 'LinkId', { value: link.accountLinkId });
    new CfnOutput(this, 'LinkStatus', { value: link.accountLinkStatus });
    new CfnOutput(this, 'SourceAccount', { value: link.sourceAccountId });
    new CfnOutput(this, 'TargetAccount', { value: link.targetAccountId });

    // Every link that is LINKED: how many, and the target accounts.
    const linked = new AccountLinks(this, 'LinkedAccounts', { statusFilter: [AccountLinkStatus.LINKED] });
    new CfnOutput(this, 'LinkedCount', { value: Token.asString(linked.count) });
    new CfnOutput(this, 'LinkedTargets', { value: linked.resource.getAttString('TargetAccountIds') });
  }
}
