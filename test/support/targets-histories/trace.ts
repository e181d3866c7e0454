import { POOL, short } from './model';

/** A broken invariant: the message says which, and what the history came to. */
export class Violation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Violation';
  }
}

/** What happened in one history, line by line, for the report of a failing one (account ids as t1 to t4). */
export class Trace {
  private readonly lines: string[] = [];

  public add(line: string): void {
    this.lines.push(line);
  }

  /** The handler's log lines, one a line under the request they came with. */
  public logs(records: ReadonlyArray<Record<string, unknown>>): void {
    for (const record of records) {
      const said = record.reason ?? record.note ?? record.text;
      this.add(`      handler: ${record.requestType ?? ''} ${record.outcome ?? ''}${said ? `: ${cut(String(said))}` : ''}`);
    }
  }

  public toString(): string {
    return this.lines.join('\n').replace(new RegExp(POOL.join('|'), 'g'), short);
  }
}

function cut(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
