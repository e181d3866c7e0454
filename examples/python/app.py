"""The example app of examples/app.ts, in Python: the same stacks, the same templates.

Usage: python app.py [invalid-link-id | wait-without-status]
With an argument, it builds one construct from a bad value instead and prints the error
the construct raised (exit status 1).
"""
import sys

from aws_cdk import App, Duration, Environment, Stack

from cdk_workspaces_account_links import AccountLink
from stacks import ByolOrganizationStack, ByolSourceStack, ByolTargetStack, ExamplePipelineStack, ExampleStack, RejectedLinkStack

SOURCE = "111122223333"
NEW_TARGET = "666677778888"


def example_app() -> None:
    app = App()
    ExampleStack(app, "WorkSpacesAccountLinksExample")
    RejectedLinkStack(app, "WorkSpacesAccountLinksRejected")

    # The handshake, one stack in each account: the target deploys after the source.
    source = ByolSourceStack(
        app, "WorkSpacesAccountLinksSource",
        env=Environment(account=SOURCE, region="eu-west-1"), target_account_id=NEW_TARGET,
    )
    target = ByolTargetStack(
        app, "WorkSpacesAccountLinksTarget",
        env=Environment(account=NEW_TARGET, region="eu-west-1"), source_account_id=SOURCE,
    )
    target.node.add_dependency(source)

    # The same gate before a pipeline stage: the check step runs before Prod deploys.
    ExamplePipelineStack(
        app, "WorkSpacesAccountLinksPipeline",
        env=Environment(account=SOURCE, region="eu-west-1"),
        connection_arn=f"arn:aws:codeconnections:eu-west-1:{SOURCE}:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
    )

    # A whole business unit of the organization (examples/links.json holds its tree): one resource, paced.
    ByolOrganizationStack(
        app, "WorkSpacesAccountLinksOrganization",
        env=Environment(account=SOURCE, region="eu-west-1"), organizational_unit_id="ou-ab12-business",
    )
    app.synth()


def bad_value(name: str) -> None:
    """Builds one construct from a bad value; the construct raises its error."""
    stack = Stack(App(), "BadValue")
    if name == "invalid-link-id":
        AccountLink(stack, "Link", link_id="lnk-1a2b3c4d")
    elif name == "wait-without-status":
        AccountLink(stack, "Link", link_id="link-1a2b3c4d", wait_timeout=Duration.minutes(5))
    else:
        sys.exit(f"unknown case {name!r}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        example_app()
        sys.exit(0)
    try:
        bad_value(sys.argv[1])
    except Exception as error:  # the construct's error, as jsii raises it in Python
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
    print("no error", file=sys.stderr)
    sys.exit(3)
