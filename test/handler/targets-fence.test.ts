import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { Chain, decide, LEASE_MS } from '../../lambda/targets/fence';
import type { ResourceRecord } from '../../lambda/targets/ledger';

// The fence's decisions, case by case (the end-to-end tests drive them through the bundled
// handler and a real DynamoDB-compatible server: test/handler/targets-ledger.test.ts).
const NOW = 1_800_000_000_000;
const PLACE = { source: '111122223333', region: 'eu-west-1' };
const event = (requestType: string, requestId: string) => ({ RequestType: requestType, RequestId: requestId }) as CloudFormationCustomResourceEvent;
const chain = (id: string, turn = 1, requestTime = NOW): Chain => ({ id, turn, requestTime });
const held = (request: string, more: Partial<ResourceRecord['holder']> = {}, record: Partial<ResourceRecord> = {}): ResourceRecord => ({
  state: 'live',
  ...PLACE,
  targets: [],
  requests: [request],
  holder: { request, chain: 'A', turn: 1, leaseUntil: NOW + LEASE_MS, requestTime: NOW, ...more },
  ...record,
});
const why = (d: ReturnType<typeof decide>) => ('why' in d ? d.why : undefined);
const holder = (d: ReturnType<typeof decide>) => ('record' in d ? d.record.holder : undefined);

test('a first request records the resource and holds it; a hand-over with no record acts on nothing', () => {
  expect(holder(decide(undefined, event('Create', 'R1'), chain('A'), PLACE, NOW))).toEqual(
    { request: 'R1', chain: 'A', turn: 1, leaseUntil: NOW + LEASE_MS, requestTime: NOW, type: 'Create' });
  // A Delete that comes before every copy of its Create records the resource too, so that they act on nothing.
  expect(decide(undefined, event('Delete', 'R2'), chain('A'), PLACE, NOW)).toMatchObject({ record: { state: 'live', requests: ['R2'] } });
  expect(why(decide(undefined, event('Create', 'R1'), chain('A', 2), PLACE, NOW))).toBe('the resource has no record any more');
});

test('copies of a request: an answered one acts on nothing; another chain waits out the lease, then takes over', () => {
  expect(why(decide(held('R1', { answered: 'FAILED' }), event('Create', 'R1'), chain('B'), PLACE, NOW))).toBe('it was answered (FAILED) already');
  expect(why(decide(held('R1'), event('Create', 'R1'), chain('B'), PLACE, NOW))).toBe('another invocation carries it');
  expect(holder(decide(held('R1'), event('Create', 'R1'), chain('B'), PLACE, NOW + LEASE_MS))).toMatchObject({ chain: 'B', turn: 1 });
});

test('a chain goes on turn by turn: a second successor of the same turn (a split hand-over) acts on nothing', () => {
  expect(holder(decide(held('R1'), event('Create', 'R1'), chain('A', 2), PLACE, NOW))).toMatchObject({ chain: 'A', turn: 2 });
  expect(why(decide(held('R1', { turn: 2 }), event('Create', 'R1'), chain('A', 2), PLACE, NOW))).toBe('invocation 2 of its chain carries it');
  expect(why(decide(held('R1', { turn: 3 }), event('Create', 'R1'), chain('A', 2), PLACE, NOW))).toBe('invocation 3 of its chain carries it');
});

test('a newer Update or Delete takes the resource; a copy of an older request, seen or not, acts on nothing', () => {
  const record = held('R2', { answered: 'SUCCESS' }, { requests: ['R1', 'R2'] });
  expect(decide(record, event('Update', 'R3'), chain('C'), PLACE, NOW)).toMatchObject({ record: { requests: ['R1', 'R2', 'R3'], holder: { request: 'R3' } } });
  expect(why(decide(record, event('Update', 'R1'), chain('C'), PLACE, NOW))).toBe('a newer request of the resource superseded it');
  // Never seen, and sent before the request that holds the resource.
  expect(why(decide(record, event('Update', 'R0'), chain('C', 1, NOW - 1000), PLACE, NOW))).toBe('it is older than the request that holds the resource');
  // A Create of a resource that exists is a copy of what it saw.
  expect(why(decide(record, event('Create', 'R9'), chain('C'), PLACE, NOW))).toBe('the resource exists already: this is a copy of a request it saw');
});

test('after a Delete: a late Create or Update acts on nothing; a Delete sent again is answered again', () => {
  const deleted = held('R2', { answered: 'SUCCESS' }, { state: 'deleted', requests: ['R1', 'R2'] });
  expect(why(decide(deleted, event('Create', 'R1x'), chain('C'), PLACE, NOW))).toBe('the resource was deleted: this is a late copy of an earlier request');
  expect(why(decide(deleted, event('Update', 'R3'), chain('C'), PLACE, NOW))).toBe('the resource was deleted: this is a late copy of an earlier request');
  expect(holder(decide(deleted, event('Delete', 'R4'), chain('C'), PLACE, NOW))).toMatchObject({ request: 'R4' });
});
