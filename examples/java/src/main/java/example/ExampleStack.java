package example;

import java.util.List;

import dev.cdkworkspacesaccountlinks.AccountLink;
import dev.cdkworkspacesaccountlinks.AccountLinkStatus;
import dev.cdkworkspacesaccountlinks.AccountLinks;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Token;
import software.constructs.Construct;

/** What a WorkSpaces BYOL shop writes: read a link and the linked accounts, and gate on LINKED. */
public class ExampleStack extends Stack {
    public ExampleStack(final Construct scope, final String id, final StackProps props) {
        super(scope, id, props);

        // One link, by its id: its status and both accounts become stack outputs.
        AccountLink link = AccountLink.Builder.create(this, "ByolLink").linkId("link-1a2b3c4d").build();
        CfnOutput.Builder.create(this, "LinkId").value(link.getAccountLinkId()).build();
        CfnOutput.Builder.create(this, "LinkStatus").value(link.getAccountLinkStatus()).build();
        CfnOutput.Builder.create(this, "SourceAccount").value(link.getSourceAccountId()).build();
        CfnOutput.Builder.create(this, "TargetAccount").value(link.getTargetAccountId()).build();

        // Every link that is LINKED: how many, and the first target account.
        AccountLinks linked = AccountLinks.Builder.create(this, "LinkedAccounts")
                .statusFilter(List.of(AccountLinkStatus.LINKED))
                .build();
        CfnOutput.Builder.create(this, "LinkedCount").value(Token.asString(linked.getCount())).build();
        CfnOutput.Builder.create(this, "FirstLinkedTarget").value(Fn.select(0, linked.getTargetAccountIds())).build();

        // A gate: the target account 222233334444 has not accepted yet; wait up to 5 minutes.
        AccountLink gate = AccountLink.Builder.create(this, "NewTargetGate")
                .linkedAccountId("222233334444")
                .requiredStatus(AccountLinkStatus.LINKED)
                .waitTimeout(Duration.minutes(5))
                .pollInterval(Duration.seconds(1))
                .build();
        CfnOutput.Builder.create(this, "GatedLinkId").value(gate.getAccountLinkId()).build();
    }
}
