import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/** An app whose synthesis fails on any unacknowledged cdk-nag AwsSolutions finding. */
export function nagApp(): App {
  const app = new App();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

/** A stack in a nagApp(). */
export function nagStack(id = 'Links'): Stack {
  return new Stack(nagApp(), id);
}
