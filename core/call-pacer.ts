import { sleep } from './sleep';

/**
 * Spends API calls at a rate: each call starts no sooner than 1/rate seconds after the one
 * before it, whoever makes it. Adaptive, as TCP's congestion control (additive increase,
 * multiplicative decrease): a throttled answer halves the rate, and each answer that is
 * not throttled wins back a fiftieth of the ceiling, so a quota shared with other callers
 * is probed again without storming it. Every attempt, retries included, takes its turn.
 */
export class CallPacer {
  /** Calls a second now: between `floor` and the ceiling. */
  private rate: number;
  private readonly floor: number;
  /** When the next call may start (ms since the epoch). */
  private nextAt = 0;
  /** Attempts answered throttled, and in all, for the log. */
  public throttled = 0;
  public attempts = 0;

  constructor(private readonly ceiling: number, private readonly now: () => number = Date.now) {
    if (!(ceiling > 0)) throw new Error(`a call rate must be above 0, got ${ceiling}`);
    this.rate = ceiling;
    // Never slower than one call in 10 s: a quota that refuses that is down, not busy.
    this.floor = Math.min(ceiling, 0.1);
  }

  /** The rate now, in calls a second. */
  public get callsPerSecond(): number {
    return this.rate;
  }

  /** Waits for this call's turn. */
  public async take(signal?: AbortSignal): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + 1000 / this.rate;
    this.attempts++;
    if (at > now) await sleep(at - now, signal);
  }

  /** What the attempt's answer says of the rate. */
  public answered(throttled: boolean): void {
    if (throttled) {
      this.throttled++;
      this.rate = Math.max(this.floor, this.rate / 2);
      // The next turn waits a whole interval at the new rate, from now.
      this.nextAt = Math.max(this.nextAt, this.now() + 1000 / this.rate);
    } else {
      this.rate = Math.min(this.ceiling, this.rate + this.ceiling / 50);
    }
  }
}
