package example;

import dev.cdkworkspacesaccountlinks.AccountLink;
import dev.cdkworkspacesaccountlinks.AccountLinkAcceptance;
import dev.cdkworkspacesaccountlinks.AccountLinkStatus;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/** The target's side: accept the source's invitation, then gate on LINKED. */
public class ByolTargetStack extends Stack {
    public ByolTargetStack(final Construct scope, final String id, final StackProps props, final String sourceAccountId) {
        super(scope, id, props);
        // By the source account: the target needs no link id from the source's deployment.
        AccountLinkAcceptance acceptance = AccountLinkAcceptance.Builder.create(this, "Accept")
                .sourceAccountId(sourceAccountId)
                .build();
        AccountLink gate = AccountLink.Builder.create(this, "Gate")
                .linkId(acceptance.getAccountLinkId())
                .requiredStatus(AccountLinkStatus.LINKED)
                .build();
        CfnOutput.Builder.create(this, "LinkId").value(gate.getAccountLinkId()).build();
        CfnOutput.Builder.create(this, "LinkStatus").value(gate.getAccountLinkStatus()).build();
    }
}
