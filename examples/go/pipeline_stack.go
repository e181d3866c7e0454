package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/pipelines"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	links "github.com/cdk-workspaces-account-links/cdk-workspaces-account-links-go/cdkworkspacesaccountlinks"
)

// NewExamplePipelineStack is a CDK pipeline whose Prod stage deploys the example stack only after
// `workspaces-account-links check` found the BYOL link LINKED.
func NewExamplePipelineStack(scope constructs.Construct, id string, props *awscdk.StackProps, connectionArn string) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)
	pipeline := pipelines.NewCodePipeline(stack, jsii.String("Pipeline"), &pipelines.CodePipelineProps{
		Synth: pipelines.NewShellStep(jsii.String("Synth"), &pipelines.ShellStepProps{
			Input: pipelines.CodePipelineSource_Connection(jsii.String("example-org/byol-workspaces"), jsii.String("main"),
				&pipelines.ConnectionSourceOptions{ConnectionArn: jsii.String(connectionArn)}),
			Commands: jsii.Strings("npm ci", "npx cdk synth"),
		}),
	})
	prod := awscdk.NewStage(stack, jsii.String("Prod"), nil)
	NewExampleStack(prod, "Workload", nil)
	pipeline.AddStage(prod, &pipelines.AddStageOpts{
		Pre: &[]pipelines.Step{links.NewAccountLinkCheckStep(jsii.String("CheckByolLink"), &links.AccountLinkCheckStepProps{
			Links: &[]*links.AccountLinkReference{{LinkId: jsii.String("link-1a2b3c4d")}},
			// The published version the build runs with npx.
			PackageVersion: jsii.String("1.0.0"),
		})},
	})
	return stack
}
