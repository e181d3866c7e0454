package example;

import dev.cdkworkspacesaccountlinks.AccountLink;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;

/**
 * The example app of examples/app.ts, in Java: the same stacks, the same templates.
 *
 * <p>Arguments: none, or {@code invalid-link-id} or {@code wait-without-status}: then it builds
 * one construct from a bad value instead and prints the error the construct threw (exit status 1).
 */
public final class ExampleApp {
    private static final String SOURCE = "111122223333";
    private static final String NEW_TARGET = "666677778888";

    public static void main(final String[] args) {
        if (args.length == 0) {
            exampleApp();
            return;
        }
        try {
            badValue(args[0]);
        } catch (RuntimeException error) { // the construct's error, as jsii throws it in Java
            System.err.println("error: " + error.getMessage());
            System.exit(1);
        }
        System.err.println("no error");
        System.exit(3);
    }

    private static void exampleApp() {
        App app = new App();
        new ExampleStack(app, "WorkSpacesAccountLinksExample", null);
        new RejectedLinkStack(app, "WorkSpacesAccountLinksRejected", null);

        // The handshake, one stack in each account: the target deploys after the source.
        ByolSourceStack source = new ByolSourceStack(app, "WorkSpacesAccountLinksSource", inEuWest1(SOURCE), NEW_TARGET);
        ByolTargetStack target = new ByolTargetStack(app, "WorkSpacesAccountLinksTarget", inEuWest1(NEW_TARGET), SOURCE);
        target.getNode().addDependency(source);

        // The same gate before a pipeline stage: the check step runs before Prod deploys.
        new ExamplePipelineStack(app, "WorkSpacesAccountLinksPipeline", inEuWest1(SOURCE),
                "arn:aws:codeconnections:eu-west-1:" + SOURCE + ":connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d");

        // A whole business unit of the organization (examples/links.json holds its tree): one resource, paced.
        new ByolOrganizationStack(app, "WorkSpacesAccountLinksOrganization", inEuWest1(SOURCE), "ou-ab12-business");
        app.synth();
    }

    private static StackProps inEuWest1(final String account) {
        return StackProps.builder().env(Environment.builder().account(account).region("eu-west-1").build()).build();
    }

    /** Builds one construct from a bad value; the construct throws its error. */
    private static void badValue(final String name) {
        Stack stack = new Stack(new App(), "BadValue");
        switch (name) {
            case "invalid-link-id" -> AccountLink.Builder.create(stack, "Link").linkId("lnk-1a2b3c4d").build();
            case "wait-without-status" -> AccountLink.Builder.create(stack, "Link")
                    .linkId("link-1a2b3c4d")
                    .waitTimeout(Duration.minutes(5))
                    .build();
            default -> {
                System.err.println("unknown case " + name);
                System.exit(2);
            }
        }
    }
}
