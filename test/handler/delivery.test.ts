import { readDelivery } from '../../lambda/delivery';
import { requestTime } from '../../lambda/request-time';
import { createEvent } from '../../local-aws/cloudformation/events';
import { HANDOVER_KEY } from '../../src/contract';

const URL_SIGNED = 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/r?X-Amz-Date=20261201T120000Z&X-Amz-Signature=s';
const SENT = Date.UTC(2026, 11, 1, 12, 0, 0);
const event = createEvent({ LinkId: 'link-1a2b3c4d' }, { responseUrl: URL_SIGNED });
const wait = { startedAt: SENT, endsAt: SENT + 600_000, reads: 2, nextReadAt: SENT + 30_000, invocations: 2 };

describe('what Lambda delivered', () => {
  test('a CloudFormation event, and a hand-over with its wait', () => {
    expect(readDelivery(event)).toEqual({ kind: 'event', event });
    expect(readDelivery({ [HANDOVER_KEY]: { event, wait } })).toEqual({ kind: 'handover', event, wait });
  });

  test.each([
    ['null', null, 'the payload is null, not an object'],
    ['a string', 'hello', 'the payload is string, not an object'],
    ['an event without its ResponseURL', { ...event, ResponseURL: '' }, /^the payload is not a CloudFormation custom resource event/],
    ['an array', [event], 'the payload is an array, not an object'],
    ['a response URL that is not http', { ...event, ResponseURL: 'file:///etc/passwd' }, 'the event\'s ResponseURL is not an http(s) URL (file:): nowhere to answer'],
    ['an ftp response URL', { ...event, ResponseURL: 'ftp://example.com/r' }, 'the event\'s ResponseURL is not an http(s) URL (ftp:): nowhere to answer'],
    ['a response URL that is no URL', { ...event, ResponseURL: 'response' }, 'the event\'s ResponseURL is not an http(s) URL: nowhere to answer'],
    ['a hand-over without its event', { [HANDOVER_KEY]: { wait } }, 'the hand-over payload has no CloudFormation event to answer'],
    ['a hand-over without its wait', { [HANDOVER_KEY]: { event } }, 'the hand-over payload\'s wait state is missing'],
    ['a wait with a text clock', { [HANDOVER_KEY]: { event, wait: { ...wait, startedAt: 'noon' } } }, /has no whole, non-negative startedAt$/],
    ['a wait of 30 days', { [HANDOVER_KEY]: { event, wait: { ...wait, endsAt: SENT + 30 * 86_400_000 } } }, /lasts 2592000000 ms, not 0 to 3600 s$/],
    ['a next read after the end', { [HANDOVER_KEY]: { event, wait: { ...wait, nextReadAt: wait.endsAt + 1 } } }, /has its next read outside the wait$/],
    ['a first invocation handed over', { [HANDOVER_KEY]: { event, wait: { ...wait, invocations: 1 } } }, /names no earlier invocation$/],
  ])('%s: ignored, saying why', (_name, input, reason) => {
    const delivery = readDelivery(input);
    expect(delivery.kind).toBe('ignored');
    expect((delivery as { reason: string }).reason).toMatch(reason);
  });
});

describe('when CloudFormation sent the request', () => {
  test('the response URL\'s signing time, the same for every copy of the event', () => {
    expect(requestTime(URL_SIGNED, SENT + 5_000)).toBe(SENT);
  });

  test('now, for a URL without a usable date or with one further ahead than clock skew', () => {
    const now = SENT + 5_000;
    expect(requestTime('https://example.com/r', now)).toBe(now);
    expect(requestTime('not a url', now)).toBe(now);
    expect(requestTime('https://example.com/r?X-Amz-Date=yesterday', now)).toBe(now);
    expect(requestTime(URL_SIGNED, SENT - 3_600_000)).toBe(SENT - 3_600_000);
    expect(requestTime(URL_SIGNED, SENT - 60_000)).toBe(SENT - 60_000);
  });
});
