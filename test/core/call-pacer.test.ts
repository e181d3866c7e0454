import { CallPacer } from '../../core/call-pacer';

/** A pacer whose clock stands still: each turn sleeps (really) until its slot, counted from that one instant. */
function pacerAt(ceiling: number) {
  const pacer = new CallPacer(ceiling, () => 1_000_000);
  return { pacer, take: () => pacer.take() };
}

test('calls start 1/rate apart, whoever makes them', async () => {
  const { pacer, take } = pacerAt(20);
  const started = Date.now();
  await Promise.all([take(), take(), take(), take()]);
  // Four turns at 20 a second: the fourth starts 150 ms after the first.
  expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  expect(pacer.attempts).toBe(4);
});

test('a throttled answer halves the rate; answers that are not throttled win it back a fiftieth of the ceiling at a time', () => {
  const { pacer } = pacerAt(10);
  pacer.answered(true);
  expect(pacer.callsPerSecond).toBe(5);
  pacer.answered(true);
  expect(pacer.callsPerSecond).toBe(2.5);
  for (let i = 0; i < 10; i++) pacer.answered(false);
  expect(pacer.callsPerSecond).toBeCloseTo(4.5);
  for (let i = 0; i < 100; i++) pacer.answered(false);
  expect(pacer.callsPerSecond).toBe(10);
  expect(pacer.throttled).toBe(2);
});

test('never slower than one call in 10 s, and a rate must be above 0', () => {
  const { pacer } = pacerAt(2);
  for (let i = 0; i < 20; i++) pacer.answered(true);
  expect(pacer.callsPerSecond).toBe(0.1);
  expect(() => new CallPacer(0)).toThrow('a call rate must be above 0, got 0');
});
