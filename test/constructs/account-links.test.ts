import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccountLinks, AccountLinkStatus } from '../../src';
import { nagStack } from '../support/nag';

describe('AccountLinks', () => {
  test('passes the status filter under the API name', () => {
    const stack = nagStack();
    new AccountLinks(stack, 'Pending', {
      statusFilter: [AccountLinkStatus.PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT, AccountLinkStatus.LINKED],
    });

    Template.fromStack(stack).hasResourceProperties('Custom::WorkSpacesAccountLinks', {
      LinkStatusFilter: ['PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT', 'LINKED'],
    });
  });

  test('no filter sends no LinkStatusFilter property', () => {
    const stack = nagStack();
    new AccountLinks(stack, 'All');

    Template.fromStack(stack).hasResourceProperties('Custom::WorkSpacesAccountLinks', {
      LinkStatusFilter: Match.absent(),
    });
  });

  test('count is a number token over Count; lists split the comma-joined attributes', () => {
    const stack = nagStack();
    const links = new AccountLinks(stack, 'All');
    const logicalId = stack.getLogicalId(links.resource.node.defaultChild as any);
    const split = (attribute: string) => ({ 'Fn::Split': [',', { 'Fn::GetAtt': [logicalId, attribute] }] });

    expect(stack.resolve(links.count)).toEqual({ 'Fn::GetAtt': [logicalId, 'Count'] });
    expect(stack.resolve(links.accountLinkIds)).toEqual(split('AccountLinkIds'));
    expect(stack.resolve(links.accountLinkStatuses)).toEqual(split('AccountLinkStatuses'));
    expect(stack.resolve(links.sourceAccountIds)).toEqual(split('SourceAccountIds'));
    expect(stack.resolve(links.targetAccountIds)).toEqual(split('TargetAccountIds'));
  });

  test('rejects a status listed twice at synth time', () => {
    expect(() => new AccountLinks(nagStack(), 'Twice', {
      statusFilter: [AccountLinkStatus.LINKED, AccountLinkStatus.REJECTED, AccountLinkStatus.LINKED],
    })).toThrow(/statusFilter lists LINKED more than once/);
  });

  test('AccountLinkStatus values are the API strings', () => {
    expect(Object.entries(AccountLinkStatus)).toEqual([
      ['LINKED', 'LINKED'],
      ['LINKING_FAILED', 'LINKING_FAILED'],
      ['LINK_NOT_FOUND', 'LINK_NOT_FOUND'],
      ['PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT', 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT'],
      ['REJECTED', 'REJECTED'],
    ]);
  });
});
