import { App, Duration, Stack } from 'aws-cdk-lib';
import { AccountLink, AccountLinkAcceptance, AccountLinkCheckStep, AccountLinkInvitation, AccountLinks } from '../../src';

// What a JavaScript or Python user can get wrong, caught at synth with one message that
// names the construct, its path and the bad value. Each prop is cast as such a user's
// value would arrive: TypeScript's types are not there to stop it.

const stack = () => new Stack(new App(), 'Byol');
type Any = any;

describe('the same message shape for every construct: kind, path, property and value', () => {
  test.each([
    ['AccountLink, a lowercase requiredStatus', () => new AccountLink(stack(), 'Gate', { linkId: 'link-1a2b3c4d', requiredStatus: 'linked' as Any }),
      'AccountLink Byol/Gate: requiredStatus "linked" is not one of LINKED, LINKING_FAILED, LINK_NOT_FOUND, PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT, REJECTED'],
    ['AccountLink, a number of seconds for waitTimeout',
      () => new AccountLink(stack(), 'Gate', { linkId: 'link-1a2b3c4d', requiredStatus: 'LINKED' as Any, waitTimeout: 600 as Any }),
      'AccountLink Byol/Gate: waitTimeout must be a Duration (such as Duration.minutes(10)), got 600'],
    ['AccountLink, a bad link id', () => new AccountLink(stack(), 'Link', { linkId: 'link-short' }),
      'AccountLink Byol/Link: linkId "link-short" does not match ^link-.{8,24}$'],
    ['AccountLink, a number for linkedAccountId', () => new AccountLink(stack(), 'Link', { linkedAccountId: 444455556666 as Any }),
      'AccountLink Byol/Link: linkedAccountId must be a string, got 444455556666'],
    ['AccountLink, no props', () => new (AccountLink as Any)(stack(), 'Link'), 'AccountLink Byol/Link: props are required'],
    ['AccountLink, a string for readOnEveryDeployment', () => new AccountLink(stack(), 'Link', { linkId: 'link-1a2b3c4d', readOnEveryDeployment: 'yes' as Any }),
      'AccountLink Byol/Link: readOnEveryDeployment must be true or false, got "yes"'],
    ['AccountLinks, a string for statusFilter', () => new AccountLinks(stack(), 'Linked', { statusFilter: 'LINKED' as Any }),
      'AccountLinks Byol/Linked: statusFilter must be a list of statuses, got "LINKED"'],
    ['AccountLinks, a lowercase status in statusFilter', () => new AccountLinks(stack(), 'Linked', { statusFilter: ['linked'] as Any }),
      'AccountLinks Byol/Linked: statusFilter[0] "linked" is not one of LINKED, LINKING_FAILED, LINK_NOT_FOUND, PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT, REJECTED'],
    ['AccountLinkInvitation, no props', () => new (AccountLinkInvitation as Any)(stack(), 'Invite'), 'AccountLinkInvitation Byol/Invite: props are required'],
    ['AccountLinkInvitation, no target', () => new AccountLinkInvitation(stack(), 'Invite', {} as Any),
      'AccountLinkInvitation Byol/Invite: targetAccountId is required'],
    ['AccountLinkInvitation, an upper-case removal policy string', () => new AccountLinkInvitation(stack(), 'Invite', { targetAccountId: '444455556666', removalPolicy: 'RETAIN' as Any }),
      'AccountLinkInvitation Byol/Invite: removalPolicy "RETAIN" is not one of destroy, retain, snapshot, retain-on-update-or-delete'],
    ['AccountLinkAcceptance, a string for reject', () => new AccountLinkAcceptance(stack(), 'Accept', { linkId: 'link-1a2b3c4d', reject: 'false' as Any }),
      'AccountLinkAcceptance Byol/Accept: reject must be true or false, got "false"'],
    ['AccountLinkAcceptance, neither lookup', () => new AccountLinkAcceptance(stack(), 'Accept', {}),
      'AccountLinkAcceptance Byol/Accept: set exactly one of linkId and sourceAccountId'],
    ['AccountLinkCheckStep, a lowercase requiredStatus',
      () => new AccountLinkCheckStep('Check', { links: [{ linkId: 'link-1a2b3c4d' }], requiredStatus: 'linked' as Any, packageVersion: '1.2.3' }),
      'AccountLinkCheckStep Check: requiredStatus "linked" is not one of LINKED, LINKING_FAILED, LINK_NOT_FOUND, PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT, REJECTED'],
    ['AccountLinkCheckStep, a number for waitTimeout',
      () => new AccountLinkCheckStep('Check', { links: [{ linkId: 'link-1a2b3c4d' }], waitTimeout: 600 as Any, packageVersion: '1.2.3' }),
      'AccountLinkCheckStep Check: waitTimeout must be a Duration (such as Duration.minutes(10)), got 600'],
    ['AccountLinkCheckStep, a link instead of a list', () => new AccountLinkCheckStep('Check', { links: { linkId: 'link-1a2b3c4d' } as Any, packageVersion: '1.2.3' }),
      'AccountLinkCheckStep Check: links must be a list of links, got {"linkId":"link-1a2b3c4d"}'],
  ])('%s', (_name, make, message) => {
    expect(make).toThrow(new Error(message));
  });

  test('a Duration and an upper-case status pass', () => {
    expect(() => new AccountLink(stack(), 'Gate', { linkId: 'link-1a2b3c4d', requiredStatus: 'LINKED' as Any, waitTimeout: Duration.minutes(10) })).not.toThrow();
  });
});
