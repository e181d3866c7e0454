import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ByolOrganizationStack, ByolSourceStack, ByolTargetStack, ExampleStack, RejectedLinkStack } from '../../examples/example-stack';

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

test('the handshake stacks synthesize the templates in the snapshot', () => {
  const app = new App();
  const source = new ByolSourceStack(app, 'WorkSpacesAccountLinksSource', {
    env: { account: '111122223333', region: 'eu-west-1' }, targetAccountId: '666677778888',
  });
  const target = new ByolTargetStack(app, 'WorkSpacesAccountLinksTarget', {
    env: { account: '666677778888', region: 'eu-west-1' }, sourceAccountId: '111122223333',
  });
  expect({ source: snapshotOf(source), target: snapshotOf(target) }).toMatchSnapshot();
});

test('the organization stack synthesizes the template in the snapshot', () => {
  const stack = new ByolOrganizationStack(new App(), 'WorkSpacesAccountLinksOrganization', {
    env: { account: '111122223333', region: 'eu-west-1' }, organizationalUnitId: 'ou-ab12-business',
  });
  expect(snapshotOf(stack)).toMatchSnapshot();
});
