import { parseCheckOptions, UsageError } from '../../cli/options';

describe('the check command\'s options', () => {
  test('the defaults: LINKED, no wait, the default poll, a 60-second deadline', () => {
    expect(parseCheckOptions(['check', '--link-id', 'link-1a2b3c4d'])).toEqual({
      lookup: { linkId: 'link-1a2b3c4d' },
      gate: { requiredStatus: 'LINKED', waitTimeoutSeconds: 0, pollIntervalSeconds: 15 },
      access: { assumeRoleArn: undefined, externalId: undefined, region: undefined },
      timeoutSeconds: 60,
      json: false,
    });
  });

  test('a wait, a poll, access and JSON; the deadline follows the wait', () => {
    expect(parseCheckOptions([
      'check', '--linked-account-id=444455556666', '--require', 'REJECTED', '--wait', '10m', '--poll=30s',
      '--assume-role', 'arn:aws:iam::444455556666:role/reader', '--external-id', 'byol', '--region', 'us-west-2', '--json',
    ])).toEqual({
      lookup: { linkedAccountId: '444455556666' },
      gate: { requiredStatus: 'REJECTED', waitTimeoutSeconds: 600, pollIntervalSeconds: 30 },
      access: { assumeRoleArn: 'arn:aws:iam::444455556666:role/reader', externalId: 'byol', region: 'us-west-2' },
      timeoutSeconds: 660,
      json: true,
    });
  });

  test('--help', () => {
    expect(parseCheckOptions(['check', '--help'])).toBe('help');
  });

  test.each([
    [['check'], 'give exactly one of --link-id and --linked-account-id'],
    [['check', '--link-id', 'lnk'], '--link-id "lnk" does not match ^link-.{8,24}$'],
    [['check', '--link-id', 'link-1a2b3c4d', '--wait', 'soon'], '--wait "soon" is not a duration (such as 90s, 10m or 1h)'],
    [['check', '--link-id', 'link-1a2b3c4d', '--poll', '5s'], '--poll needs --wait: without a wait, the link is read once'],
    [['check', '--link-id', 'link-1a2b3c4d', '--wait', '10s'], '--poll (15 seconds, the default) must be shorter than --wait (10s)'],
    [['check', '--link-id', 'link-1a2b3c4d', '--wait', '9h'], '--wait (9h) must be a whole number of seconds from 1 to 28800'],
    [['check', '--link-id', 'link-1a2b3c4d', '--wait', '5m', '--timeout', '5m'], '--timeout (5m) must be longer than --wait (5m): the reads need time too'],
    [['check', '--link-id', 'link-1a2b3c4d', '--timeout', '0s'], '--timeout (0s) must be a whole number of seconds from 1 to 32400'],
    [['check', '--link-id', 'link-1a2b3c4d', '--external-id', 'byol'], '--external-id needs --assume-role'],
    [['check', '--link-id', 'link-1a2b3c4d', '--require', 'linked'], /^--require "linked" is not one of LINKED, /],
  ])('%j: a usage error that says what is wrong', (argv, message) => {
    expect(() => parseCheckOptions(argv)).toThrow(UsageError);
    expect(() => parseCheckOptions(argv)).toThrow(message);
  });
});
