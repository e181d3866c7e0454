package example;

import dev.cdkworkspacesaccountlinks.AccountLinkInvitation;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/** The BYOL owner's side of the handshake: invite a new target account. */
public class ByolSourceStack extends Stack {
    public ByolSourceStack(final Construct scope, final String id, final StackProps props, final String targetAccountId) {
        super(scope, id, props);
        AccountLinkInvitation invitation = AccountLinkInvitation.Builder.create(this, "Invite")
                .targetAccountId(targetAccountId)
                .build();
        CfnOutput.Builder.create(this, "InvitationLinkId").value(invitation.getAccountLinkId()).build();
        CfnOutput.Builder.create(this, "InvitedAccount").value(invitation.getTargetAccountId()).build();
    }
}
