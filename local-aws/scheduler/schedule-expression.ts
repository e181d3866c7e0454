/** A schedule expression of EventBridge Scheduler or of an EventBridge rule, as the local scheduler reads it. */
export type ScheduleExpression =
  /** `rate(value unit)`: every `everyMs`. */
  | { readonly kind: 'rate'; readonly everyMs: number; readonly text: string }
  /** `at(yyyy-mm-ddThh:mm:ss)` (Scheduler's one-time schedules), in UTC. */
  | { readonly kind: 'at'; readonly time: Date; readonly text: string }
  /** `cron(...)`: understood only as "some times": fire it at a time of your choosing. */
  | { readonly kind: 'cron'; readonly text: string };

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * Reads a schedule expression: `rate(value unit)` (a positive whole value; minute(s),
 * hour(s), day(s); the singular for 1, the plural otherwise, as the services require),
 * `at(...)` and `cron(...)`.
 */
export function parseScheduleExpression(text: string): ScheduleExpression {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(text);
  if (rate) {
    const value = Number(rate[1]);
    const singular = !rate[2].endsWith('s');
    if (value < 1 || singular !== (value === 1)) throw new Error(`schedule expression ${text}: a rate of 1 takes a singular unit, any other a plural`);
    return { kind: 'rate', everyMs: value * UNIT_MS[rate[2].replace(/s$/, '')], text };
  }
  const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(text);
  if (at && !Number.isNaN(Date.parse(`${at[1]}Z`))) return { kind: 'at', time: new Date(`${at[1]}Z`), text };
  if (/^cron\(.+\)$/.test(text)) return { kind: 'cron', text };
  throw new Error(`schedule expression ${JSON.stringify(text)} is neither rate(value unit), at(yyyy-mm-ddThh:mm:ss) nor cron(...)`);
}

/**
 * The times a schedule is due in (from, to], in order: a rate's are every interval after
 * it starts (`start`: when it was created, or its StartDate), an `at` schedule's is its
 * time. A cron schedule's are not computed here.
 */
export function occurrencesBetween(expression: ScheduleExpression, start: Date, from: Date, to: Date): Date[] {
  switch (expression.kind) {
    case 'rate': {
      const times: Date[] = [];
      const first = Math.max(1, Math.floor((from.getTime() - start.getTime()) / expression.everyMs) + 1);
      for (let k = first; start.getTime() + k * expression.everyMs <= to.getTime(); k++) {
        times.push(new Date(start.getTime() + k * expression.everyMs));
      }
      return times.filter((t) => t.getTime() > from.getTime());
    }
    case 'at':
      return expression.time > from && expression.time <= to ? [expression.time] : [];
    case 'cron':
      throw new Error(`the local scheduler does not compute the times of ${expression.text}: fire it at a time of your choosing`);
  }
}
