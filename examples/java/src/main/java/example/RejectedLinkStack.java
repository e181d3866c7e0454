package example;

import dev.cdkworkspacesaccountlinks.AccountLink;
import dev.cdkworkspacesaccountlinks.AccountLinkStatus;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/** A stack whose gate must fail: its link was rejected by the target account. */
public class RejectedLinkStack extends Stack {
    public RejectedLinkStack(final Construct scope, final String id, final StackProps props) {
        super(scope, id, props);
        AccountLink gate = AccountLink.Builder.create(this, "RejectedGate")
                .linkId("link-9a8b7c6d")
                .requiredStatus(AccountLinkStatus.LINKED)
                .build();
        CfnOutput.Builder.create(this, "GatedLinkId").value(gate.getAccountLinkId()).build();
    }
}
