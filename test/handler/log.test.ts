import { EventLogLine, levelOf, logEvent } from '../../lambda/log';
import { keepEnv } from '../support/env';

const LINE: EventLogLine = {
  requestType: 'Create',
  resourceType: 'Custom::WorkSpacesAccountLink',
  logicalResourceId: 'Link',
  physicalResourceId: 'LinkId=link-00000001',
  outcome: 'SUCCESS',
  apiCalls: 1,
  invocation: 1,
  durationMs: 12,
  responseAttempts: 1,
};

describe('the level of an event\'s line', () => {
  test.each([
    [{}, 'INFO'],
    [{ outcome: 'HANDED_OVER' as const }, 'INFO'],
    [{ outcome: 'HANDOVER_UNCONFIRMED' as const }, 'WARN'],
    [{ outcome: 'FAILED' as const }, 'ERROR'],
    // CloudFormation did not get the good answer: it fails the resource at its ServiceTimeout.
    [{ responseError: 'no complete answer within 4000 ms' }, 'ERROR'],
  ])('%j: %s', (change, level) => {
    expect(levelOf({ ...LINE, ...change })).toBe(level);
  });
});

describe('the line as Lambda\'s log formats want it', () => {
  const restoreEnv = keepEnv(['AWS_LAMBDA_LOG_FORMAT']);
  afterEach(() => {
    restoreEnv();
    jest.restoreAllMocks();
  });

  test('JSON format: the object itself, so that the record\'s message stays an object', () => {
    process.env.AWS_LAMBDA_LOG_FORMAT = 'JSON';
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    logEvent({ ...LINE, outcome: 'FAILED', reason: 'no' });
    expect(error).toHaveBeenCalledWith(expect.objectContaining({ outcome: 'FAILED', reason: 'no' }));
  });

  test('text format: one JSON string', () => {
    delete process.env.AWS_LAMBDA_LOG_FORMAT;
    const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    logEvent(LINE);
    expect(JSON.parse(info.mock.calls[0][0])).toEqual(LINE);
  });
});
