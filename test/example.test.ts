import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ExampleStack } from '../examples/example-stack';

test('the example app synthesizes the template in the snapshot', () => {
  const stack = new ExampleStack(new App(), 'WorkSpacesAccountLinksExample');
  const template = Template.fromStack(stack).toJSON();
  // The asset hash changes with every handler change; the snapshot is about the template's shape.
  const text = JSON.stringify(template).replace(/[0-9a-f]{64}\.zip/g, 'HANDLER_ASSET.zip');
  expect(JSON.parse(text)).toMatchSnapshot();
});
