import { EventBridgeClient, PutEventsCommand, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { receivedEvents } from '../../src/emulator/control-client';
import { AccountLinksEmulator } from '../../src/emulator/emulator';
import { PUT_EVENTS_MAX_BYTES, putEventsEntrySize } from '../../src/emulator/event-bus';

const SOURCE = '111122223333';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let emulator: AccountLinksEmulator;
const endpointBefore = process.env.AWS_ENDPOINT_URL_EVENTBRIDGE;
afterEach(async () => {
  await emulator?.close();
  if (endpointBefore === undefined) delete process.env.AWS_ENDPOINT_URL_EVENTBRIDGE;
  else process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = endpointBefore;
});

/** The SDK's own EventBridge client, signing as the source account, pointed at the emulator as a handler's is: AWS_ENDPOINT_URL_EVENTBRIDGE. */
async function start(options: { maxAttempts?: number } = {}): Promise<EventBridgeClient> {
  emulator = await AccountLinksEmulator.start({ links: [], accounts: { AKIDSOURCE: SOURCE } });
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = emulator.endpoint;
  return new EventBridgeClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDSOURCE', secretAccessKey: 'test' },
    maxAttempts: options.maxAttempts ?? 1,
  });
}

const entry = (detail: object, more: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  Source: 'cdk-workspaces-account-links', DetailType: 'Account Link Changed', Detail: JSON.stringify(detail), ...more,
});

test('PutEvents answers an entry for each entry in its place: an EventId for those it takes, an ErrorCode for those it fails; it keeps the events it takes', async () => {
  const client = await start();
  const answer = await client.send(new PutEventsCommand({
    Entries: [
      entry({ targetAccountId: '310000000001', newStatus: 'LINKED' }, { Time: new Date('2026-12-01T10:00:00.250Z'), Resources: ['arn:aws:cloudformation:eu-west-1:111122223333:stack/s/1'] }),
      { Source: 'cdk-workspaces-account-links', DetailType: 'Account Link Changed' },
      entry({}, { Source: '' }),
      entry({}, { Detail: '["not", "an", "object"]' }),
      entry({}, { Detail: '{"unfinished": ' }),
      entry({}, { DetailType: 'x'.repeat(129) }),
      entry({ targetAccountId: '310000000002' }, { EventBusName: 'links-bus' }),
    ],
  }));

  expect(answer.FailedEntryCount).toBe(5);
  expect(answer.Entries![0].EventId).toMatch(UUID);
  expect(answer.Entries!.slice(1, 6)).toEqual([
    { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' },
    { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' },
    { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
    { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
    { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is longer than 128 characters.' },
  ]);
  expect(answer.Entries![6].EventId).toMatch(UUID);

  // What a rule's target would receive: the envelope, the detail parsed, the caller's account and the signature's Region.
  expect(emulator.events).toEqual([
    {
      'version': '0',
      'id': answer.Entries![0].EventId,
      'detail-type': 'Account Link Changed',
      'source': 'cdk-workspaces-account-links',
      'account': SOURCE,
      'time': '2026-12-01T10:00:00Z',
      'region': 'eu-west-1',
      'resources': ['arn:aws:cloudformation:eu-west-1:111122223333:stack/s/1'],
      'detail': { targetAccountId: '310000000001', newStatus: 'LINKED' },
      'eventBusName': 'default',
    },
    expect.objectContaining({ id: answer.Entries![6].EventId, detail: { targetAccountId: '310000000002' }, resources: [], eventBusName: 'links-bus' }),
  ]);
  // Without Time, the event's time is when it was received.
  expect(Date.now() - Date.parse(emulator.events[1].time)).toBeLessThan(5_000);
  // Another process reads them the same.
  expect(await receivedEvents(emulator.endpoint)).toEqual(emulator.events);
  // PutEvents requests are recorded apart from WorkSpaces' and Organizations'.
  expect(emulator.eventsRequests.map((r) => [r.operation, r.accessKeyId])).toEqual([['PutEvents', 'AKIDSOURCE']]);
  expect(emulator.requests).toEqual([]);
});

test('when no entry has Source, DetailType and Detail, every entry fails: the whole request fails', async () => {
  const client = await start();
  const answer = await client.send(new PutEventsCommand({ Entries: [{ Source: 's', Detail: '{}' }, { DetailType: 'd', Detail: '{}' }] }));

  expect(answer).toMatchObject({
    FailedEntryCount: 2,
    Entries: [
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' },
    ],
  });
  expect(emulator.events).toEqual([]);
});

test('1 to 10 entries a call: 0 or 11 are a ValidationException, and nothing is kept', async () => {
  const client = await start();

  await expect(client.send(new PutEventsCommand({ Entries: [] }))).rejects.toMatchObject({
    name: 'ValidationException', message: '1 validation error detected: Value \'[]\' at \'entries\' failed to satisfy constraint: Member must have length greater than or equal to 1',
  });
  const eleven = Array.from({ length: 11 }, (_, i) => entry({ i }));
  await expect(client.send(new PutEventsCommand({ Entries: eleven }))).rejects.toMatchObject({
    name: 'ValidationException', message: expect.stringContaining('at \'entries\' failed to satisfy constraint: Member must have length less than or equal to 10'),
  });
  expect((await client.send(new PutEventsCommand({ Entries: eleven.slice(1) }))).FailedEntryCount).toBe(0);
  expect(emulator.events.map((e) => e.detail.i)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

test('the entries must total less than 256 KB, counted as AWS counts them: 14 bytes for a Time, UTF-8 bytes of Source, DetailType, Detail and Resources', async () => {
  const client = await start();
  // Source 28 bytes + DetailType 20 + Time 14 + a resource of 10 + Detail `{"a":"éé…"}` (8 bytes + 2 a "é").
  const sized = (total: number): PutEventsRequestEntry => {
    const fixed = 28 + 20 + 14 + 10 + 8;
    const accents = (total - fixed) / 2;
    const padding = Number.isInteger(accents) ? '' : 'x';
    return entry({ a: `${'é'.repeat(Math.floor(accents))}${padding}` }, { Time: new Date(), Resources: ['arn:aws:x'.padEnd(10, 'y')] });
  };
  expect(putEventsEntrySize(sized(1000) as Record<string, unknown>)).toBe(1000);
  expect(putEventsEntrySize(sized(1001) as Record<string, unknown>)).toBe(1001);

  // Spread over two entries, as the limit is on the request's entries together.
  const half = PUT_EVENTS_MAX_BYTES / 2;
  expect((await client.send(new PutEventsCommand({ Entries: [sized(half), sized(half - 1)] }))).FailedEntryCount).toBe(0);
  await expect(client.send(new PutEventsCommand({ Entries: [sized(half), sized(half)] }))).rejects.toMatchObject({
    name: 'ValidationException', message: 'Total size of the entries in the request is over the limit.',
  });
  // The body of the one taken is far over WorkSpaces' 64 KB: PutEvents' bodies have room for their limit.
  expect(emulator.events).toHaveLength(2);
  expect(Buffer.byteLength(JSON.stringify(emulator.events[0].detail))).toBeGreaterThan(64 * 1024);
});

test('Detail nests up to 1000 levels; deeper is malformed', async () => {
  const client = await start();
  const nested = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;

  const answer = await client.send(new PutEventsCommand({ Entries: [entry({}, { Detail: nested(1000) }), entry({}, { Detail: nested(1001) })] }));
  expect(answer.FailedEntryCount).toBe(1);
  expect(answer.Entries![0].EventId).toMatch(UUID);
  expect(answer.Entries![1]).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
});

test('the service model\'s constraints on an entry\'s members fail the whole call', async () => {
  const client = await start();

  await expect(client.send(new PutEventsCommand({ Entries: [entry({}, { EventBusName: 'no spaces allowed' })] }))).rejects.toMatchObject({
    name: 'ValidationException', message: expect.stringMatching(/^1 validation error detected: Value 'no spaces allowed' at 'entries.1.member.eventBusName' failed to satisfy constraint: Member must satisfy regular expression pattern/),
  });
  await expect(client.send(new PutEventsCommand({ Entries: [entry({}), entry({}, { TraceHeader: 't'.repeat(501) })] }))).rejects.toMatchObject({
    name: 'ValidationException', message: expect.stringContaining('at \'entries.2.member.traceHeader\''),
  });
  await expect(client.send(new PutEventsCommand({ Entries: [entry({}, { Resources: ['r'.repeat(2049)] })] }))).rejects.toMatchObject({ name: 'ValidationException' });
  // An event bus's ARN is a name too.
  const byArn = await client.send(new PutEventsCommand({ Entries: [entry({}, { EventBusName: 'arn:aws:events:eu-west-1:111122223333:event-bus/links-bus' })] }));
  expect(byArn.FailedEntryCount).toBe(0);
  expect(emulator.events.map((e) => e.eventBusName)).toEqual(['arn:aws:events:eu-west-1:111122223333:event-bus/links-bus']);
});

test('eventsFault fails PutEvents until cleared: the call throttled or failed, or every entry it would take', async () => {
  const client = await start();
  const put = () => client.send(new PutEventsCommand({ Entries: [entry({ n: 1 }), entry({}, { Detail: '[]' })] }));

  emulator.eventsFault = 'throttle';
  await expect(put()).rejects.toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
  await expect(put()).rejects.toMatchObject({ name: 'ThrottlingException' });
  expect(emulator.eventsFault).toBe('throttle');

  emulator.eventsFault = 'internal';
  await expect(put()).rejects.toMatchObject({ name: 'InternalException', $metadata: { httpStatusCode: 500 } });

  // Entries' faults: a 200 whose entries failed with a retryable code; an invalid entry keeps its own error.
  emulator.eventsFault = 'throttle-entries';
  expect(await put()).toMatchObject({
    FailedEntryCount: 2,
    Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded.' }, { ErrorCode: 'MalformedDetail' }],
  });
  emulator.eventsFault = 'internal-entries';
  expect((await put()).Entries![0]).toMatchObject({ ErrorCode: 'InternalFailure' });
  expect(emulator.events).toEqual([]);

  emulator.eventsFault = undefined;
  expect((await put()).FailedEntryCount).toBe(1);
  expect(emulator.events.map((e) => e.detail)).toEqual([{ n: 1 }]);
  expect(emulator.eventsRequests).toHaveLength(6);
  expect(() => { emulator.eventsFault = 'flaky' as any; }).toThrow('an events fault is one of throttle, internal, throttle-entries, internal-entries, got "flaky"');
});

test('failPutEvents(fault, calls) fails only the next calls: the SDK\'s retries of a throttled call then get through', async () => {
  const client = await start({ maxAttempts: 3 });
  emulator.failPutEvents('throttle', 2);

  const answer = await client.send(new PutEventsCommand({ Entries: [entry({ n: 1 })] }));
  expect(answer.FailedEntryCount).toBe(0);
  expect(answer.$metadata.attempts).toBe(3);
  expect(emulator.eventsRequests).toHaveLength(3);
  expect(emulator.events).toHaveLength(1);
  expect(emulator.eventsFault).toBeUndefined();
}, 30_000);

test('EventBridge operations other than PutEvents are unknown', async () => {
  emulator = await AccountLinksEmulator.start({ links: [] });
  const res = await fetch(emulator.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutRule' },
    body: JSON.stringify({ Name: 'rule' }),
  });
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({ __type: 'UnknownOperationException', message: 'this emulator\'s EventBridge serves PutEvents only, not "PutRule"' });
});
