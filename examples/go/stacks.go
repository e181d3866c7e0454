package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	links "github.com/cdk-workspaces-account-links/cdk-workspaces-account-links-go/cdkworkspacesaccountlinks"
)

// NewExampleStack is what a WorkSpaces BYOL shop writes: read a link and the linked accounts, and gate on LINKED.
func NewExampleStack(scope constructs.Construct, id string, props *awscdk.StackProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)

	// One link, by its id: its status and both accounts become stack outputs.
	link := links.NewAccountLink(stack, jsii.String("ByolLink"), &links.AccountLinkProps{LinkId: jsii.String("link-1a2b3c4d")})
	awscdk.NewCfnOutput(stack, jsii.String("LinkId"), &awscdk.CfnOutputProps{Value: link.AccountLinkId()})
	awscdk.NewCfnOutput(stack, jsii.String("LinkStatus"), &awscdk.CfnOutputProps{Value: link.AccountLinkStatus()})
	awscdk.NewCfnOutput(stack, jsii.String("SourceAccount"), &awscdk.CfnOutputProps{Value: link.SourceAccountId()})
	awscdk.NewCfnOutput(stack, jsii.String("TargetAccount"), &awscdk.CfnOutputProps{Value: link.TargetAccountId()})

	// Every link that is LINKED: how many, and the first target account.
	linked := links.NewAccountLinks(stack, jsii.String("LinkedAccounts"), &links.AccountLinksProps{
		StatusFilter: &[]links.AccountLinkStatus{links.AccountLinkStatus_LINKED},
	})
	awscdk.NewCfnOutput(stack, jsii.String("LinkedCount"), &awscdk.CfnOutputProps{Value: awscdk.Token_AsString(linked.Count(), nil)})
	awscdk.NewCfnOutput(stack, jsii.String("FirstLinkedTarget"), &awscdk.CfnOutputProps{Value: awscdk.Fn_Select(jsii.Number(0), linked.TargetAccountIds())})

	// A gate: the target account 222233334444 has not accepted yet; wait up to 5 minutes.
	gate := links.NewAccountLink(stack, jsii.String("NewTargetGate"), &links.AccountLinkProps{
		LinkedAccountId: jsii.String("222233334444"),
		RequiredStatus:  links.AccountLinkStatus_LINKED,
		WaitTimeout:     awscdk.Duration_Minutes(jsii.Number(5)),
		PollInterval:    awscdk.Duration_Seconds(jsii.Number(1)),
	})
	awscdk.NewCfnOutput(stack, jsii.String("GatedLinkId"), &awscdk.CfnOutputProps{Value: gate.AccountLinkId()})
	return stack
}

// NewRejectedLinkStack is a stack whose gate must fail: its link was rejected by the target account.
func NewRejectedLinkStack(scope constructs.Construct, id string, props *awscdk.StackProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)
	gate := links.NewAccountLink(stack, jsii.String("RejectedGate"), &links.AccountLinkProps{
		LinkId:         jsii.String("link-9a8b7c6d"),
		RequiredStatus: links.AccountLinkStatus_LINKED,
	})
	awscdk.NewCfnOutput(stack, jsii.String("GatedLinkId"), &awscdk.CfnOutputProps{Value: gate.AccountLinkId()})
	return stack
}

// NewByolSourceStack is the BYOL owner's side of the handshake: invite a new target account.
func NewByolSourceStack(scope constructs.Construct, id string, props *awscdk.StackProps, targetAccountId string) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)
	invitation := links.NewAccountLinkInvitation(stack, jsii.String("Invite"), &links.AccountLinkInvitationProps{
		TargetAccountId: jsii.String(targetAccountId),
	})
	awscdk.NewCfnOutput(stack, jsii.String("InvitationLinkId"), &awscdk.CfnOutputProps{Value: invitation.AccountLinkId()})
	awscdk.NewCfnOutput(stack, jsii.String("InvitedAccount"), &awscdk.CfnOutputProps{Value: invitation.TargetAccountId()})
	return stack
}

// NewByolTargetStack is the target's side: accept the source's invitation, then gate on LINKED.
func NewByolTargetStack(scope constructs.Construct, id string, props *awscdk.StackProps, sourceAccountId string) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)
	// By the source account: the target needs no link id from the source's deployment.
	acceptance := links.NewAccountLinkAcceptance(stack, jsii.String("Accept"), &links.AccountLinkAcceptanceProps{
		SourceAccountId: jsii.String(sourceAccountId),
	})
	gate := links.NewAccountLink(stack, jsii.String("Gate"), &links.AccountLinkProps{
		LinkId:         acceptance.AccountLinkId(),
		RequiredStatus: links.AccountLinkStatus_LINKED,
	})
	awscdk.NewCfnOutput(stack, jsii.String("LinkId"), &awscdk.CfnOutputProps{Value: gate.AccountLinkId()})
	awscdk.NewCfnOutput(stack, jsii.String("LinkStatus"), &awscdk.CfnOutputProps{Value: gate.AccountLinkStatus()})
	return stack
}

// NewByolOrganizationStack is a whole business unit: every account of an organizational unit (and its nested units) through one resource.
func NewByolOrganizationStack(scope constructs.Construct, id string, props *awscdk.StackProps, organizationalUnitId string) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)
	// In the management account in practice: the accept role in every account of the unit.
	acceptRoles := links.AccountLinkAcceptRole_StackSet(stack, jsii.String("AcceptRoles"), &links.AccountLinkAcceptRoleStackSetProps{
		OrganizationalUnitIds: jsii.Strings(organizationalUnitId),
		TrustedRoleArn:        links.AccountLinksProvider_Of(stack).Role().RoleArn(),
	})
	targets := links.NewAccountLinkTargets(stack, jsii.String("BusinessUnit"), &links.AccountLinkTargetsProps{
		OrganizationalUnitIds:            jsii.Strings(organizationalUnitId),
		IncludeNestedOrganizationalUnits: jsii.Bool(true),
		AcceptRoleName:                   links.AccountLinkAcceptRole_DEFAULT_ROLE_NAME(),
		RequiredStatus:                   links.AccountLinkStatus_LINKED,
		WaitTimeout:                      awscdk.Duration_Minutes(jsii.Number(30)),
		// Between deployments too: an account that joins the unit is linked within the hour.
		ReconcileEvery: awscdk.Duration_Hours(jsii.Number(1)),
	})
	// The roles first: the targets accept through them.
	targets.Node().AddDependency(acceptRoles)
	awscdk.NewCfnOutput(stack, jsii.String("TargetCount"), &awscdk.CfnOutputProps{Value: awscdk.Token_AsString(targets.TargetCount(), nil)})
	awscdk.NewCfnOutput(stack, jsii.String("LinkedCount"), &awscdk.CfnOutputProps{Value: awscdk.Token_AsString(targets.LinkedCount(), nil)})
	return stack
}
