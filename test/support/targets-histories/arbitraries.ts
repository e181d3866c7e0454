import * as fc from 'fast-check';
import { Account, Action, Copy, History, Parent, POOL, Spec, Start, UNITS, WorldEvent } from './model';

/** fast-check's arbitraries of the histories model.ts describes: small worlds (4 accounts, 2 units), short histories. */

const account = fc.constantFrom(...POOL);
const unit = fc.constantFrom(...UNITS);
const parent: fc.Arbitrary<Parent> = fc.constantFrom<Parent>('root', ...UNITS);

const spec: fc.Arbitrary<Spec> = fc.record({
  named: fc.subarray([...POOL]),
  units: fc.subarray([...UNITS]),
  nested: fc.boolean(),
  exclude: fc.subarray([...POOL], { maxLength: 1 }),
  accept: fc.boolean(),
}).filter((s) => s.named.length + s.units.length > 0);

/** Mostly none; a copy with the request, after it, with the next one or at the end. */
const copies: fc.Arbitrary<readonly Copy[]> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<readonly Copy[]>([]) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom<Copy>('with', 'after', 'next', 'end'), { minLength: 1, maxLength: 2 }) },
);

const worldEvent: fc.Arbitrary<WorldEvent> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('move' as const, 'join' as const), account, to: parent }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('leave' as const, 'suspend' as const, 'activate' as const), account }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dissolve' as const), unit }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('refuse' as const, 'allow' as const), account }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('forget' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('lose' as const), answers: fc.constantFrom(1 as const, 4 as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('accept' as const, 'reject' as const), nth: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cut' as const), workMs: fc.constantFrom(0 as const, 60 as const, 120 as const), twice: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), minutes: fc.constantFrom(5 as const, 120 as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('foreign' as const), account }) },
);

/** True one time in five. */
const sometimes = fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('deploy' as const), spec, copies, stackFails: sometimes, rollbackCopies: copies }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), copies }) },
);

/** Where each account starts (the management account is never out of its organization), whose roles refuse. */
// Mostly in a unit, for the units to have accounts to move.
const placement = fc.constantFrom<Parent | 'out'>('root', 'out', ...UNITS, ...UNITS);

const start: fc.Arbitrary<Start> = fc.record({
  placement: fc.record(Object.fromEntries(POOL.map((a) => [a, placement])) as Record<Account, fc.Arbitrary<Parent | 'out'>>),
  source: parent,
  nested: fc.boolean(),
  management: fc.option(account, { nil: undefined, freq: 3 }),
  refused: fc.subarray([...POOL], { maxLength: 2 }),
}).map((s) => (s.management !== undefined && s.placement[s.management] === 'out' ? { ...s, placement: { ...s.placement, [s.management]: 'root' } } : s));

/** A history: 2 to 4 rounds (each a deployment or a removal, after 0 to 2 world events), and the stack deleted at the end or not. */
export const histories: fc.Arbitrary<History> = fc.record({
  start,
  rounds: fc.array(fc.record({ before: fc.array(worldEvent, { maxLength: 2 }), action }), { minLength: 2, maxLength: 4 }),
  deleteAtEnd: fc.boolean(),
}).map(({ start: s, rounds, deleteAtEnd }) => new History(s, rounds, deleteAtEnd));
