import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccountLink, AccountLinkAcceptance, AccountLinkInvitation, AccountLinks, AccountLinkStatus, AccountLinkTargets } from '../../src';
import {
  CHECK_WAIT_LIMITS, checkWait, CLOUDFORMATION_PROPERTY_NAMES, DEFAULT_POLL_INTERVAL_SECONDS, RESOURCE_PROPERTY_NAMES, RESOURCE_WAIT_LIMITS,
} from '../../src/contract';

const NAMES = { wait: 'wait', poll: 'poll' };
const seconds = (n: number) => ({ seconds: n, shown: `${n}s` });

describe('the wait rule (constructs, pipeline step, check command and handler alike)', () => {
  test('no wait and no poll: no wait', () => {
    expect(checkWait(undefined, undefined, RESOURCE_WAIT_LIMITS, NAMES)).toBeUndefined();
  });

  test('a wait alone takes the default poll interval', () => {
    expect(checkWait(seconds(600), undefined, RESOURCE_WAIT_LIMITS, NAMES)).toEqual({ waitSeconds: 600, pollSeconds: DEFAULT_POLL_INTERVAL_SECONDS });
  });

  test.each([
    ['a poll without a wait', undefined, seconds(5), RESOURCE_WAIT_LIMITS, 'poll needs wait: without a wait, the link is read once'],
    ['a fraction of a second', seconds(90.5), undefined, RESOURCE_WAIT_LIMITS,
      'wait (90.5s) must be a whole number of seconds from 1 to 3600 (CloudFormation\'s limit for a custom resource)'],
    ['a wait past the resource limit', seconds(3601), undefined, RESOURCE_WAIT_LIMITS, /^wait \(3601s\) must be a whole number of seconds from 1 to 3600/],
    ['a wait past the command\'s limit', seconds(28801), undefined, CHECK_WAIT_LIMITS, 'wait (28801s) must be a whole number of seconds from 1 to 28800'],
    ['a poll past the command\'s limit', seconds(28800), seconds(3601), CHECK_WAIT_LIMITS, 'poll (3601s) must be a whole number of seconds from 1 to 3600'],
    ['a poll as long as the wait', seconds(60), seconds(60), RESOURCE_WAIT_LIMITS, 'poll (60s) must be shorter than wait (60s)'],
    ['a wait shorter than the default poll', seconds(10), undefined, RESOURCE_WAIT_LIMITS, 'poll (15 seconds, the default) must be shorter than wait (10s)'],
  ])('%s: the problem, in the caller\'s words', (_name, wait, poll, limits, problem) => {
    const result = checkWait(wait, poll, limits, NAMES);
    expect(result).toEqual({ problem: expect.stringMatching(typeof problem === 'string' ? `^${problem.replace(/[()]/g, '\\$&')}$` : problem) });
  });
});

describe('the typed contract: every property a construct writes is one its handler reads', () => {
  test('a stack with each construct and every option: the template\'s properties are the contract\'s names', () => {
    const stack = new Stack(new App(), 'Contract', { env: { account: '111122223333', region: 'eu-west-1' } });
    const access = { assumeRoleArn: 'arn:aws:iam::444455556666:role/reader', externalId: 'shared', region: 'us-west-2' };
    new AccountLink(stack, 'Link', {
      linkId: 'link-1a2b3c4d',
      requiredStatus: AccountLinkStatus.LINKED,
      waitTimeout: Duration.minutes(10),
      pollInterval: Duration.seconds(30),
      readOnEveryDeployment: true,
      ...access,
    });
    new AccountLinks(stack, 'Links', { statusFilter: [AccountLinkStatus.LINKED], readOnEveryDeployment: true, ...access });
    new AccountLinkInvitation(stack, 'Invite', { targetAccountId: '555566667777', ...access });
    new AccountLinkAcceptance(stack, 'Accept', { sourceAccountId: '555566667777', reject: true, ...access });
    const targets = new AccountLinkTargets(stack, 'Targets', {
      targetAccountIds: ['555566667777'],
      organizationalUnitIds: ['ou-ab12-34cd56ef'],
      includeNestedOrganizationalUnits: true,
      excludeAccountIds: ['666677778888'],
      acceptRoleName: 'Accept',
      requiredStatus: AccountLinkStatus.LINKED,
      waitTimeout: Duration.minutes(10),
      pollInterval: Duration.seconds(30),
      callsPerSecond: 5,
      readOnEveryDeployment: true,
      ...access,
    });
    // Referencing a list makes the resource answer the lists.
    void targets.accountLinkIds;
    // The other side of each either-or.
    new AccountLink(stack, 'ByAccount', { linkedAccountId: '555566667777' });
    new AccountLinkAcceptance(stack, 'AcceptById', { linkId: 'link-2b3c4d5e' });
    new AccountLinkTargets(stack, 'Quiet', { targetAccountIds: ['555566667777'], publishEvents: false });

    const resources = Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: object }>)
      .filter((resource) => resource.Type.startsWith('Custom::'));
    const written = new Map<string, Set<string>>();
    for (const resource of resources) {
      const names = written.get(resource.Type) ?? new Set();
      Object.keys(resource.Properties).filter((name) => !CLOUDFORMATION_PROPERTY_NAMES.includes(name)).forEach((name) => names.add(name));
      written.set(resource.Type, names);
    }
    // Each type's constructs, with every option, write exactly the names its contract interface lists.
    expect(Object.fromEntries([...written].map(([type, names]) => [type, [...names].sort()])))
      .toEqual(Object.fromEntries(Object.entries(RESOURCE_PROPERTY_NAMES).map(([type, names]) => [type, [...names].sort()])));
  });
});
