package example;

import java.util.List;

import dev.cdkworkspacesaccountlinks.AccountLinkCheckStep;
import dev.cdkworkspacesaccountlinks.AccountLinkReference;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.pipelines.AddStageOpts;
import software.amazon.awscdk.pipelines.CodePipeline;
import software.amazon.awscdk.pipelines.CodePipelineSource;
import software.amazon.awscdk.pipelines.ConnectionSourceOptions;
import software.amazon.awscdk.pipelines.ShellStep;
import software.constructs.Construct;

/** A CDK pipeline whose Prod stage deploys ExampleStack only after the check found the link LINKED. */
public class ExamplePipelineStack extends Stack {
    public ExamplePipelineStack(final Construct scope, final String id, final StackProps props, final String connectionArn) {
        super(scope, id, props);
        CodePipeline pipeline = CodePipeline.Builder.create(this, "Pipeline")
                .synth(ShellStep.Builder.create("Synth")
                        .input(CodePipelineSource.connection("example-org/byol-workspaces", "main",
                                ConnectionSourceOptions.builder().connectionArn(connectionArn).build()))
                        .commands(List.of("npm ci", "npx cdk synth"))
                        .build())
                .build();
        Stage prod = new Stage(this, "Prod");
        new ExampleStack(prod, "Workload", null);
        pipeline.addStage(prod, AddStageOpts.builder()
                .pre(List.of(AccountLinkCheckStep.Builder.create("CheckByolLink")
                        .links(List.of(AccountLinkReference.builder().linkId("link-1a2b3c4d").build()))
                        // The published version the build runs with npx.
                        .packageVersion("1.0.0")
                        .build()))
                .build());
    }
}
