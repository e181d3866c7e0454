package example;

import dev.cdkworkspacesaccountlinks.AccountLinkAcceptRole;
import dev.cdkworkspacesaccountlinks.AccountLinkAcceptRoleStackSetProps;
import dev.cdkworkspacesaccountlinks.AccountLinkStatus;
import dev.cdkworkspacesaccountlinks.AccountLinkTargets;
import dev.cdkworkspacesaccountlinks.AccountLinksProvider;
import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.cloudformation.CfnStackSet;
import software.constructs.Construct;

/** A whole business unit: every account of an organizational unit (and its nested units) through one resource. */
public class ByolOrganizationStack extends Stack {
    public ByolOrganizationStack(final Construct scope, final String id, final StackProps props, final String organizationalUnitId) {
        super(scope, id, props);
        // In the management account in practice: the accept role in every account of the unit.
        CfnStackSet acceptRoles = AccountLinkAcceptRole.stackSet(this, "AcceptRoles", AccountLinkAcceptRoleStackSetProps.builder()
                .organizationalUnitIds(List.of(organizationalUnitId))
                .trustedRoleArn(AccountLinksProvider.of(this).getRole().getRoleArn())
                .build());
        AccountLinkTargets targets = AccountLinkTargets.Builder.create(this, "BusinessUnit")
                .organizationalUnitIds(List.of(organizationalUnitId))
                .includeNestedOrganizationalUnits(true)
                .acceptRoleName(AccountLinkAcceptRole.DEFAULT_ROLE_NAME)
                .requiredStatus(AccountLinkStatus.LINKED)
                .waitTimeout(Duration.minutes(30))
                // Between deployments too: an account that joins the unit is linked within the hour.
                .reconcileEvery(Duration.hours(1))
                .build();
        // The roles first: the targets accept through them.
        targets.getNode().addDependency(acceptRoles);
        CfnOutput.Builder.create(this, "TargetCount").value(Token.asString(targets.getTargetCount())).build();
        CfnOutput.Builder.create(this, "LinkedCount").value(Token.asString(targets.getLinkedCount())).build();
    }
}
