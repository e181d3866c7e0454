"""The stacks of examples/example-stack.ts and examples/pipeline-stack.ts, in Python."""
from aws_cdk import CfnOutput, Duration, Fn, Stack, Stage, Token, pipelines
from constructs import Construct

from cdk_workspaces_account_links import (
    AccountLink,
    AccountLinkAcceptance,
    AccountLinkAcceptRole,
    AccountLinkCheckStep,
    AccountLinkInvitation,
    AccountLinkReference,
    AccountLinks,
    AccountLinksProvider,
    AccountLinkStatus,
    AccountLinkTargets,
)


class ExampleStack(Stack):
    """What a WorkSpaces BYOL shop writes: read a link and the linked accounts, and gate on LINKED."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        # One link, by its id: its status and both accounts become stack outputs.
        link = AccountLink(self, "ByolLink", link_id="link-1a2b3c4d")
        CfnOutput(self, "LinkId", value=link.account_link_id)
        CfnOutput(self, "LinkStatus", value=link.account_link_status)
        CfnOutput(self, "SourceAccount", value=link.source_account_id)
        CfnOutput(self, "TargetAccount", value=link.target_account_id)

        # Every link that is LINKED: how many, and the first target account.
        linked = AccountLinks(self, "LinkedAccounts", status_filter=[AccountLinkStatus.LINKED])
        CfnOutput(self, "LinkedCount", value=Token.as_string(linked.count))
        CfnOutput(self, "FirstLinkedTarget", value=Fn.select(0, linked.target_account_ids))

        # A gate: the target account 222233334444 has not accepted yet; wait up to 5 minutes.
        gate = AccountLink(
            self,
            "NewTargetGate",
            linked_account_id="222233334444",
            required_status=AccountLinkStatus.LINKED,
            wait_timeout=Duration.minutes(5),
            poll_interval=Duration.seconds(1),
        )
        CfnOutput(self, "GatedLinkId", value=gate.account_link_id)


class RejectedLinkStack(Stack):
    """A stack whose gate must fail: its link was rejected by the target account."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        gate = AccountLink(self, "RejectedGate", link_id="link-9a8b7c6d", required_status=AccountLinkStatus.LINKED)
        CfnOutput(self, "GatedLinkId", value=gate.account_link_id)


class ByolSourceStack(Stack):
    """The BYOL owner's side of the handshake: invite a new target account."""

    def __init__(self, scope: Construct, construct_id: str, *, target_account_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        invitation = AccountLinkInvitation(self, "Invite", target_account_id=target_account_id)
        CfnOutput(self, "InvitationLinkId", value=invitation.account_link_id)
        CfnOutput(self, "InvitedAccount", value=invitation.target_account_id)


class ByolTargetStack(Stack):
    """The target's side: accept the source's invitation, then gate on LINKED."""

    def __init__(self, scope: Construct, construct_id: str, *, source_account_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        # By the source account: the target needs no link id from the source's deployment.
        acceptance = AccountLinkAcceptance(self, "Accept", source_account_id=source_account_id)
        gate = AccountLink(self, "Gate", link_id=acceptance.account_link_id, required_status=AccountLinkStatus.LINKED)
        CfnOutput(self, "LinkId", value=gate.account_link_id)
        CfnOutput(self, "LinkStatus", value=gate.account_link_status)


class ByolOrganizationStack(Stack):
    """A whole business unit: every account of an organizational unit (and its nested units) through one resource."""

    def __init__(self, scope: Construct, construct_id: str, *, organizational_unit_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        # In the management account in practice: the accept role in every account of the unit.
        accept_roles = AccountLinkAcceptRole.stack_set(
            self, "AcceptRoles",
            organizational_unit_ids=[organizational_unit_id],
            trusted_role_arn=AccountLinksProvider.of(self).role.role_arn,
        )
        targets = AccountLinkTargets(
            self, "BusinessUnit",
            organizational_unit_ids=[organizational_unit_id],
            include_nested_organizational_units=True,
            accept_role_name=AccountLinkAcceptRole.DEFAULT_ROLE_NAME,
            required_status=AccountLinkStatus.LINKED,
            wait_timeout=Duration.minutes(30),
            # Between deployments too: an account that joins the unit is linked within the hour.
            reconcile_every=Duration.hours(1),
        )
        # The roles first: the targets accept through them.
        targets.node.add_dependency(accept_roles)
        CfnOutput(self, "TargetCount", value=Token.as_string(targets.target_count))
        CfnOutput(self, "LinkedCount", value=Token.as_string(targets.linked_count))


class ExamplePipelineStack(Stack):
    """A CDK pipeline whose Prod stage deploys ExampleStack only after the check found the link LINKED."""

    def __init__(self, scope: Construct, construct_id: str, *, connection_arn: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        pipeline = pipelines.CodePipeline(
            self,
            "Pipeline",
            synth=pipelines.ShellStep(
                "Synth",
                input=pipelines.CodePipelineSource.connection(
                    "example-org/byol-workspaces", "main", connection_arn=connection_arn
                ),
                commands=["npm ci", "npx cdk synth"],
            ),
        )
        prod = Stage(self, "Prod")
        ExampleStack(prod, "Workload")
        pipeline.add_stage(
            prod,
            pre=[
                AccountLinkCheckStep(
                    "CheckByolLink",
                    links=[AccountLinkReference(link_id="link-1a2b3c4d")],
                    # The published version the build runs with npx.
                    package_version="1.0.0",
                )
            ],
        )
