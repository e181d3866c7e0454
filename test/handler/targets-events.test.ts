import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { batches, ChangeContext, changeDetail, entrySize, MAX_CALL_BYTES, MAX_ENTRIES_PER_CALL, sendChanges } from '../../lambda/targets/events';
import type { StatusChange } from '../../lambda/targets/observation';
import { AccountLinkStatus } from '../../src/account-link-status';
import { ACCOUNT_LINK_CHANGED, EVENT_SOURCE } from '../../src/contract';
import { AccountLinksEmulator } from '../../src/emulator/emulator';
import { keepEnv } from '../support/env';

// The Account Link Changed events against EventBridge's PutEvents, as AWS documents it:
// - the service model, botocore data/events/2015-10-07/service-2.json (boto/botocore 0e6e240, read 2026-12-07):
//   PutEventsRequestEntryList min 1, max 10; DetailType "a maximum of 128 characters"; Detail "a valid JSON object";
//   PutEvents: "the total entry size must be less than 256KB";
// - "Calculating PutEvents event entry size" (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html):
//   Time 14 bytes if given; the UTF-8 bytes of Source, DetailType, Detail and each of Resources;
// - Source: the event structure reference (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html):
//   "any value here, as long as it doesn't begin with aws."; 1 to 256 characters of [/.\-_A-Za-z0-9] as EventBridge
//   Scheduler's EventBridgeParameters.Source (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_EventBridgeParameters.html).

/** PutEvents' limits as the model and the guide state them (not our constants: those are what is checked). */
const MODEL = { minEntries: 1, maxEntries: 10, maxDetailTypeCharacters: 128, maxSourceCharacters: 256, callBytesBelow: 256 * 1024 };

/** The guide's getSize (Java), in TypeScript: what entrySize must agree with. */
function guideSize(entry: PutEventsRequestEntry): number {
  const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');
  let size = 0;
  if (entry.Time !== undefined) size += 14;
  size += utf8(entry.Source!) + utf8(entry.DetailType!);
  if (entry.Detail !== undefined) size += utf8(entry.Detail);
  for (const resource of entry.Resources ?? []) size += utf8(resource);
  return size;
}

const STACK_NAME = `S${'tack-name'.repeat(15)}`.slice(0, 128);
const LOGICAL_ID = `Targets${'A1'.repeat(130)}`.slice(0, 255);
/** The longest stack id: the longest partition and a long Region, a 128-character name and its UUID. */
const LONG_STACK_ID = `arn:aws-iso-b:cloudformation:ap-southeast-7:123456789012:stack/${STACK_NAME}/8d8a1a50-4d0d-11f0-9f3b-0a1b2c3d4e5f`;
const WORST: ChangeContext = {
  sourceAccountId: '111122223333',
  resource: `${STACK_NAME}/${LOGICAL_ID}`,
  stackId: LONG_STACK_ID,
  physicalResourceId: `targets:${'0123456789abcdef'.repeat(4)}`.slice(0, 64),
  observedBy: 'account-event',
};
const CONTEXT: ChangeContext = {
  sourceAccountId: '111122223333',
  resource: 'my-stack/Targets',
  stackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/my-stack/1',
  physicalResourceId: 'targets:R1',
  observedBy: 'schedule',
};

const target = (i: number) => `3100000${String(i).padStart(5, '0')}`;
const pending = (i: number): StatusChange => ({
  target: target(i), after: { status: AccountLinkStatus.PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT, linkId: `link-${String(i).padStart(8, 'a')}` },
});
/** An entry as sendChanges makes it. */
const entryOf = (change: StatusChange, context = CONTEXT): PutEventsRequestEntry => ({
  Source: EVENT_SOURCE, DetailType: ACCOUNT_LINK_CHANGED, Detail: JSON.stringify(changeDetail(change, context)),
});
/** An entry of exactly `bytes` as EventBridge counts them. */
function sized(bytes: number, tag: string): { entry: PutEventsRequestEntry; tag: string } {
  const fixed = guideSize({ Source: EVENT_SOURCE, DetailType: ACCOUNT_LINK_CHANGED, Detail: JSON.stringify({ tag, pad: '' }) });
  return { entry: { Source: EVENT_SOURCE, DetailType: ACCOUNT_LINK_CHANGED, Detail: JSON.stringify({ tag, pad: 'x'.repeat(bytes - fixed) }) }, tag };
}
const callBytes = (call: ReadonlyArray<{ entry: PutEventsRequestEntry }>) => call.reduce((sum, item) => sum + guideSize(item.entry), 0);

test('our limits are PutEvents\' own', () => {
  expect(MAX_ENTRIES_PER_CALL).toBe(MODEL.maxEntries);
  expect(MAX_CALL_BYTES).toBe(MODEL.callBytesBelow);
});

test('Source and DetailType as EventBridge takes them', () => {
  expect(EVENT_SOURCE.length).toBeGreaterThanOrEqual(1);
  expect(EVENT_SOURCE.length).toBeLessThanOrEqual(MODEL.maxSourceCharacters);
  expect(EVENT_SOURCE).toMatch(/^[/.\-_A-Za-z0-9]+$/);
  expect(EVENT_SOURCE.toLowerCase().startsWith('aws.')).toBe(false);
  expect(ACCOUNT_LINK_CHANGED.length).toBeGreaterThanOrEqual(1);
  expect(ACCOUNT_LINK_CHANGED.length).toBeLessThanOrEqual(MODEL.maxDetailTypeCharacters);
});

test('changeDetail: the change and where it was seen; a first sighting has no oldStatus', () => {
  const first = changeDetail(pending(1), CONTEXT);
  expect(first).toEqual({
    sourceAccountId: '111122223333',
    targetAccountId: target(1),
    accountLinkId: 'link-aaaaaaa1',
    newStatus: 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT',
    resource: 'my-stack/Targets',
    stackId: CONTEXT.stackId,
    physicalResourceId: 'targets:R1',
    observedBy: 'schedule',
  });
  expect(first.oldStatus).toBeUndefined();
  // Absent in the event itself, not null.
  expect(Object.keys(JSON.parse(entryOf(pending(1)).Detail!))).not.toContain('oldStatus');

  const accepted = changeDetail({ target: target(1), before: pending(1).after, after: { status: 'LINKED', linkId: 'link-aaaaaaa1' } }, CONTEXT);
  expect(accepted).toMatchObject({ oldStatus: 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT', newStatus: 'LINKED', accountLinkId: 'link-aaaaaaa1' });
  // A link gone (no id now): the event still names the link it was.
  const gone = changeDetail({ target: target(2), before: { status: 'LINKED', linkId: 'link-bbbbbbbb' }, after: { status: 'LINK_NOT_FOUND' } }, CONTEXT);
  expect(gone).toMatchObject({ oldStatus: 'LINKED', newStatus: 'LINK_NOT_FOUND', accountLinkId: 'link-bbbbbbbb' });
  // Never linked, never invited: no id at all, and none in the event.
  const none = changeDetail({ target: target(3), after: { status: 'LINK_NOT_FOUND' } }, { ...CONTEXT, observedBy: 'deployment' });
  expect(none).toMatchObject({ newStatus: 'LINK_NOT_FOUND', observedBy: 'deployment' });
  expect(Object.keys(JSON.parse(JSON.stringify(none)))).not.toContain('accountLinkId');
});

test('Detail is a JSON object (not an array, a string or null)', () => {
  const detail: unknown = JSON.parse(entryOf(pending(1)).Detail!);
  expect(detail).not.toBeNull();
  expect(typeof detail).toBe('object');
  expect(Array.isArray(detail)).toBe(false);
});

test('entrySize counts as the guide does, multi-byte characters in bytes', () => {
  const entries: PutEventsRequestEntry[] = [
    entryOf(pending(1)),
    entryOf(pending(2), WORST),
    { Source: EVENT_SOURCE, DetailType: ACCOUNT_LINK_CHANGED, Detail: JSON.stringify({ note: 'déjà vu ✓ 🔗' }) },
    { Source: EVENT_SOURCE, DetailType: ACCOUNT_LINK_CHANGED },
  ];
  for (const entry of entries) expect(entrySize(entry)).toBe(guideSize(entry));
  // 'é' and 'à' are 2 bytes, '✓' 3, '🔗' 4, where their ASCII stand-ins are 1 each.
  expect(entrySize(entries[2]) - entrySize({ ...entries[2], Detail: JSON.stringify({ note: 'deja vu v l' }) })).toBe(1 + 1 + 2 + 3);
});

test('the worst case\'s event (long stack id, 64-character physical id) is far below every limit', () => {
  expect(WORST.stackId.length).toBeGreaterThan(200);
  expect(WORST.physicalResourceId).toHaveLength(64);
  const change: StatusChange = {
    target: target(1),
    before: { status: AccountLinkStatus.PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT, linkId: `link-${'a'.repeat(24)}` },
    after: { status: AccountLinkStatus.LINKING_FAILED, linkId: `link-${'a'.repeat(24)}` },
  };
  const size = entrySize(entryOf(change, WORST));
  expect(size).toBeLessThan(1024);
  // A full call of them uses a few percent of the call's limit.
  expect(size * MAX_ENTRIES_PER_CALL).toBeLessThan(MAX_CALL_BYTES / 20);
});

test('batches: at most 10 entries a call, in order, none left out', () => {
  const items = Array.from({ length: 23 }, (_, i) => ({ entry: entryOf(pending(i)), index: i }));
  const calls = batches(items);
  expect(calls.map((c) => c.length)).toEqual([10, 10, 3]);
  expect(calls.flat().map((item) => item.index)).toEqual(items.map((item) => item.index));
  expect(batches(items.slice(0, 10))).toHaveLength(1);
  expect(batches([])).toEqual([]);
  for (const call of batches(items)) {
    expect(call.length).toBeGreaterThanOrEqual(MODEL.minEntries);
    expect(call.length).toBeLessThanOrEqual(MODEL.maxEntries);
  }
});

test('batches: with entries near the byte limit, a call takes what fits, in order, each call under the limit', () => {
  const near = MAX_CALL_BYTES - 1000;
  const items = [sized(100, 'a'), sized(near, 'b'), sized(near, 'c'), sized(900, 'd'), sized(2000, 'e'), sized(120 * 1024, 'f'), sized(120 * 1024, 'g'), sized(30 * 1024, 'h')];
  expect(items.map((item) => guideSize(item.entry))).toEqual([100, near, near, 900, 2000, 120 * 1024, 120 * 1024, 30 * 1024]);
  const calls = batches(items);
  expect(calls.map((call) => call.map((item) => item.tag).join(''))).toEqual(['ab', 'cd', 'efg', 'h']);
  for (const call of calls) {
    expect(call.length).toBeLessThanOrEqual(MODEL.maxEntries);
    expect(callBytes(call)).toBeLessThan(MODEL.callBytesBelow);
  }
});

// PutEvents' entries "must be less than 256KB" (the model's PutEvents documentation and the entry-size guide), as the
// project's own emulator checks (src/emulator/event-bus.ts: size >= PUT_EVENTS_MAX_BYTES is refused). (Found by this test:
// batches() once kept entries of exactly MAX_CALL_BYTES together.)
test('batches: a call\'s entries total less than 256 KB, never exactly 256 KB', () => {
  const half = MAX_CALL_BYTES / 2;
  const calls = batches([sized(half, 'a'), sized(half, 'b')]);
  for (const call of calls) expect(callBytes(call)).toBeLessThan(MODEL.callBytesBelow);
});

test('sendChanges puts them to the default bus as PutEvents takes them: 10 entries a call at most, each Source, DetailType and a Detail object', async () => {
  const restoreEnv = keepEnv(['AWS_ENDPOINT_URL_EVENTBRIDGE']);
  const emulator = await AccountLinksEmulator.start({ links: [], accounts: { AKIDSOURCE: '111122223333' } });
  try {
    process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = emulator.endpoint;
    const changes = Array.from({ length: 23 }, (_, i) => pending(i));
    const sent = await sendChanges(changes, CONTEXT, 'eu-west-1', async () => ({ accessKeyId: 'AKIDSOURCE', secretAccessKey: 'test' }));

    expect(sent).toEqual({ unsent: [], why: undefined });
    const calls = emulator.eventsRequests.map((r) => r.input.Entries as PutEventsRequestEntry[]);
    expect(calls.map((entries) => entries.length)).toEqual([10, 10, 3]);
    for (const entry of calls.flat()) {
      // No Time (the call's time is the event's), no Resources, no bus name (the default bus): what entrySize leaves out is never sent.
      expect(Object.keys(entry).sort()).toEqual(['Detail', 'DetailType', 'Source']);
    }
    expect(emulator.events.map((e) => [e.source, e['detail-type'], e.eventBusName])).toEqual(changes.map(() => [EVENT_SOURCE, ACCOUNT_LINK_CHANGED, 'default']));
    expect(emulator.events.map((e) => e.detail)).toEqual(changes.map((change) => JSON.parse(JSON.stringify(changeDetail(change, CONTEXT)))));
  } finally {
    await emulator.close();
    restoreEnv();
  }
});
