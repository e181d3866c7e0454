// The example app of examples/app.ts, in Go: the same stacks, the same templates.
//
// Usage: go run . [invalid-link-id | wait-without-status]
// With an argument, it builds one construct from a bad value instead and prints the
// error the construct raised (exit status 1).
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	links "github.com/cdk-workspaces-account-links/cdk-workspaces-account-links-go/cdkworkspacesaccountlinks"
)

const (
	source    = "111122223333"
	newTarget = "666677778888"
)

func env(account string) *awscdk.Environment {
	return &awscdk.Environment{Account: jsii.String(account), Region: jsii.String("eu-west-1")}
}

func exampleApp() {
	app := awscdk.NewApp(nil)
	NewExampleStack(app, "WorkSpacesAccountLinksExample", nil)
	NewRejectedLinkStack(app, "WorkSpacesAccountLinksRejected", nil)

	// The handshake, one stack in each account: the target deploys after the source.
	sourceStack := NewByolSourceStack(app, "WorkSpacesAccountLinksSource", &awscdk.StackProps{Env: env(source)}, newTarget)
	targetStack := NewByolTargetStack(app, "WorkSpacesAccountLinksTarget", &awscdk.StackProps{Env: env(newTarget)}, source)
	targetStack.Node().AddDependency(sourceStack)

	// The same gate before a pipeline stage: the check step runs before Prod deploys.
	NewExamplePipelineStack(app, "WorkSpacesAccountLinksPipeline", &awscdk.StackProps{Env: env(source)},
		"arn:aws:codeconnections:eu-west-1:"+source+":connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d")

	// A whole business unit of the organization (examples/links.json holds its tree): one resource, paced.
	NewByolOrganizationStack(app, "WorkSpacesAccountLinksOrganization", &awscdk.StackProps{Env: env(source)}, "ou-ab12-business")
	app.Synth(nil)
}

// badValue builds one construct from a bad value; the construct panics with its error.
func badValue(name string) {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("BadValue"), nil)
	switch name {
	case "invalid-link-id":
		links.NewAccountLink(stack, jsii.String("Link"), &links.AccountLinkProps{LinkId: jsii.String("lnk-1a2b3c4d")})
	case "wait-without-status":
		links.NewAccountLink(stack, jsii.String("Link"), &links.AccountLinkProps{
			LinkId:      jsii.String("link-1a2b3c4d"),
			WaitTimeout: awscdk.Duration_Minutes(jsii.Number(5)),
		})
	default:
		fmt.Fprintf(os.Stderr, "unknown case %q\n", name)
		os.Exit(2)
	}
}

func main() {
	defer jsii.Close()
	if len(os.Args) < 2 {
		exampleApp()
		return
	}
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "error: %v\n", r)
			jsii.Close()
			os.Exit(1)
		}
	}()
	badValue(os.Args[1])
	fmt.Fprintln(os.Stderr, "no error")
	os.Exit(3)
}
