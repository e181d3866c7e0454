import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ExampleStack, RejectedLinkStack } from '../examples/example-stack';

/** The template, with the handler asset's hash (it changes with every handler change) masked. */
function snapshotOf(stack: Stack): unknown {
  const text = JSON.stringify(Template.fromStack(stack).toJSON()).replace(/[0-9a-f]{64}\.zip/g, 'HANDLER_ASSET.zip');
  return JSON.parse(text);
}

test('the example stack synthesizes the template in the snapshot', () => {
  expect(snapshotOf(new ExampleStack(new App(), 'WorkSpacesAccountLinksExample'))).toMatchSnapshot();
});

test('the rejected-link stack synthesizes the template in the snapshot', () => {
  expect(snapshotOf(new RejectedLinkStack(new App(), 'WorkSpacesAccountLinksRejected'))).toMatchSnapshot();
});
