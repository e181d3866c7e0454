import { Stack, StackProps, Stage } from 'aws-cdk-lib';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { ExampleStack } from './example-stack';
// In your app: import { AccountLinkCheckStep } from 'cdk-workspaces-account-links';
import { AccountLinkCheckStep } from '../src';

/** Properties of the example pipeline. */
export interface ExamplePipelineStackProps extends StackProps {
  /** The CodeConnections connection to the repository the pipeline builds. */
  readonly connectionArn: string;
}

/**
 * A CDK pipeline whose Prod stage deploys ExampleStack only after `workspaces-account-links
 * check` found the BYOL link LINKED (the AccountLinkCheckStep runs before the stage's stacks).
 */
export class ExamplePipelineStack extends Stack {
  constructor(scope: Construct, id: string, props: ExamplePipelineStackProps) {
    super(scope, id, props);

    const pipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      synth: new pipelines.ShellStep('Synth', {
        input: pipelines.CodePipelineSource.connection('example-org/byol-workspaces', 'main', { connectionArn: props.connectionArn }),
        commands: ['npm ci', 'npx cdk synth'],
      }),
    });
    const prod = new Stage(this, 'Prod');
    new ExampleStack(prod, 'Workload');
    pipeline.addStage(prod, {
      pre: [new AccountLinkCheckStep('CheckByolLink', {
        links: [{ linkId: 'link-1a2b3c4d' }],
        // The published version the build runs with npx.
        packageVersion: '1.0.0',
      })],
    });
  }
}
