import {
  accountLinkPhysicalId, accountLinksPhysicalId, InvalidPropertiesError, parseAcceptanceProperties, parseAccountLinkProperties,
  parseAccountLinksProperties, parseInvitationProperties,
} from '../../lambda/resource-properties';
import { DEFAULT_POLL_INTERVAL_SECONDS, RESOURCE_PROPERTY_NAMES, ResourceType } from '../../src/contract';

const ROLE = 'arn:aws:iam::444455556666:role/reader';

describe('Custom::WorkSpacesAccountLink properties', () => {
  test('a lookup by link id, with CloudFormation\'s own properties', () => {
    expect(parseAccountLinkProperties({ ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:f', ServiceTimeout: '300', LinkId: 'link-1a2b3c4d' }))
      .toEqual({ lookup: { linkId: 'link-1a2b3c4d' }, gate: undefined, access: { assumeRoleArn: undefined, externalId: undefined, region: undefined } });
  });

  test('a gate: numbers come as strings; the poll interval defaults', () => {
    expect(parseAccountLinkProperties({ LinkedAccountId: '444455556666', RequiredStatus: 'LINKED', WaitTimeoutSeconds: '600' }).gate)
      .toEqual({ requiredStatus: 'LINKED', waitTimeoutSeconds: 600, pollIntervalSeconds: DEFAULT_POLL_INTERVAL_SECONDS });
    expect(parseAccountLinkProperties({ LinkId: 'link-1a2b3c4d', RequiredStatus: 'LINKED', WaitTimeoutSeconds: 600, PollIntervalSeconds: '30' }).gate)
      .toEqual({ requiredStatus: 'LINKED', waitTimeoutSeconds: 600, pollIntervalSeconds: 30 });
    expect(parseAccountLinkProperties({ LinkId: 'link-1a2b3c4d', RequiredStatus: 'REJECTED' }).gate)
      .toEqual({ requiredStatus: 'REJECTED', waitTimeoutSeconds: 0, pollIntervalSeconds: DEFAULT_POLL_INTERVAL_SECONDS });
  });

  test('access: a role, its external id and a Region', () => {
    expect(parseAccountLinkProperties({ LinkId: 'link-1a2b3c4d', AssumeRoleArn: ROLE, ExternalId: 'shared', Region: 'us-west-2' }).access)
      .toEqual({ assumeRoleArn: ROLE, externalId: 'shared', region: 'us-west-2' });
  });

  test.each([
    ['neither lookup', {}, 'exactly one of LinkId and LinkedAccountId is required'],
    ['both lookups', { LinkId: 'link-1a2b3c4d', LinkedAccountId: '444455556666' }, 'exactly one of LinkId and LinkedAccountId is required'],
    ['a link id off the pattern', { LinkId: 'lnk-1' }, 'LinkId "lnk-1" does not match ^link-.{8,24}$'],
    ['an account id off the pattern', { LinkedAccountId: '4444' }, 'LinkedAccountId "4444" does not match ^\\d{12}$'],
    ['a number for a string', { LinkId: 7 }, 'LinkId must be a string, got 7'],
    ['an unknown property', { LinkId: 'link-1a2b3c4d', TargetAccountId: '444455556666' }, /^unknown properties TargetAccountId; expected /],
    ['an unknown status', { LinkId: 'link-1a2b3c4d', RequiredStatus: 'linked' }, /^RequiredStatus "linked" is not one of LINKED, /],
    ['a wait without a status', { LinkId: 'link-1a2b3c4d', WaitTimeoutSeconds: '60' }, 'WaitTimeoutSeconds needs RequiredStatus'],
    ['a poll without a wait', { LinkId: 'link-1a2b3c4d', RequiredStatus: 'LINKED', PollIntervalSeconds: '10' },
      'PollIntervalSeconds needs WaitTimeoutSeconds: without a wait, the link is read once'],
    ['a wait over an hour', { LinkId: 'link-1a2b3c4d', RequiredStatus: 'LINKED', WaitTimeoutSeconds: '3601' },
      'WaitTimeoutSeconds ("3601" s) must be a whole number of seconds from 1 to 3600 (CloudFormation\'s limit for a custom resource)'],
    ['a poll as long as the wait', { LinkId: 'link-1a2b3c4d', RequiredStatus: 'LINKED', WaitTimeoutSeconds: '60', PollIntervalSeconds: '60' },
      'PollIntervalSeconds ("60" s) must be shorter than WaitTimeoutSeconds ("60" s)'],
    ['a wait that is not a number', { LinkId: 'link-1a2b3c4d', RequiredStatus: 'LINKED', WaitTimeoutSeconds: '1.5' },
      'WaitTimeoutSeconds must be a whole number of seconds, got "1.5"'],
    ['an external id without a role', { LinkId: 'link-1a2b3c4d', ExternalId: 'shared' }, 'ExternalId needs AssumeRoleArn'],
    ['a user ARN for a role', { LinkId: 'link-1a2b3c4d', AssumeRoleArn: 'arn:aws:iam::444455556666:user/x' }, /^AssumeRoleArn ".*" does not match /],
    ['a Region name off the pattern', { LinkId: 'link-1a2b3c4d', Region: 'Frankfurt' }, /^Region "Frankfurt" does not match /],
  ])('%s: an InvalidPropertiesError that says what is wrong', (_name, raw, message) => {
    expect(() => parseAccountLinkProperties(raw)).toThrow(InvalidPropertiesError);
    expect(() => parseAccountLinkProperties(raw)).toThrow(message);
  });

  test('the physical id follows the lookup, not the gate', () => {
    expect(accountLinkPhysicalId({ linkId: 'link-1a2b3c4d' })).toBe('LinkId=link-1a2b3c4d');
    expect(accountLinkPhysicalId({ linkedAccountId: '444455556666' })).toBe('LinkedAccountId=444455556666');
  });
});

describe('Custom::WorkSpacesAccountLinks properties', () => {
  test('a status filter: each status once; the physical id does not depend on the order', () => {
    const query = parseAccountLinksProperties({ LinkStatusFilter: ['PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT', 'LINKED', 'LINKED'] });
    expect(query.statusFilter).toEqual(['PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT', 'LINKED']);
    expect(accountLinksPhysicalId(query)).toBe(accountLinksPhysicalId(parseAccountLinksProperties({ LinkStatusFilter: ['LINKED', 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT'] })));
    expect(accountLinksPhysicalId(parseAccountLinksProperties({}))).toBe('LinkStatusFilter=*');
  });

  test.each([
    ['a string for the list', { LinkStatusFilter: 'LINKED' }, 'LinkStatusFilter must be a list of statuses'],
    ['an unknown status', { LinkStatusFilter: ['LINKED', 'linked', 3] }, /^LinkStatusFilter has unknown status "linked", 3; expected /],
  ])('%s: rejected', (_name, raw, message) => {
    expect(() => parseAccountLinksProperties(raw)).toThrow(message);
  });
});

describe('invitation and acceptance properties', () => {
  test('an invitation needs its target', () => {
    expect(parseInvitationProperties({ TargetAccountId: '444455556666' }).targetAccountId).toBe('444455556666');
    expect(() => parseInvitationProperties({})).toThrow('TargetAccountId is required');
  });

  test('an acceptance finds its invitation by link id or by source; Reject is "true" or "false"', () => {
    expect(parseAcceptanceProperties({ LinkId: 'link-1a2b3c4d' })).toMatchObject({ invitation: { linkId: 'link-1a2b3c4d' }, reject: false });
    expect(parseAcceptanceProperties({ SourceAccountId: '111122223333', Reject: 'true' })).toMatchObject({ invitation: { sourceAccountId: '111122223333' }, reject: true });
    expect(() => parseAcceptanceProperties({ LinkId: 'link-1a2b3c4d', Reject: 'yes' })).toThrow('Reject must be "true" or "false", got "yes"');
    expect(() => parseAcceptanceProperties({ LinkId: 'link-1a2b3c4d', ReadNonce: 'x' })).toThrow(/^unknown properties ReadNonce/);
  });

  test('each parser accepts exactly the names its contract interface lists', () => {
    expect(RESOURCE_PROPERTY_NAMES[ResourceType.INVITATION]).toEqual(['AssumeRoleArn', 'ExternalId', 'Region', 'TargetAccountId']);
    expect(RESOURCE_PROPERTY_NAMES[ResourceType.ACCEPTANCE]).toEqual(['AssumeRoleArn', 'ExternalId', 'Region', 'LinkId', 'SourceAccountId', 'Reject']);
  });
});

describe('ResourceProperties that are not an object', () => {
  test.each([
    ['a string', 'link-1a2b3c4d', 'ResourceProperties must be an object, got a string'],
    ['a list', ['link-1a2b3c4d'], 'ResourceProperties must be an object, got a list'],
    ['a number', 7, 'ResourceProperties must be an object, got a number'],
  ])('%s: one clear error, whatever the resource type', (_name, raw, message) => {
    for (const parse of [parseAccountLinkProperties, parseAccountLinksProperties, parseInvitationProperties, parseAcceptanceProperties]) {
      expect(() => parse(raw as any)).toThrow(new InvalidPropertiesError(message));
    }
  });
});
