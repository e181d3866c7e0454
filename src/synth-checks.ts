import { Duration, Token } from 'aws-cdk-lib';
import { AccountLinkStatus } from './account-link-status';
import { CheckedWait, checkWait, WaitLimits } from './contract';

/**
 * Synth-time checks of construct properties, for every construct and the pipeline step.
 * TypeScript's types catch most mistakes, but JavaScript and Python users (and anyone
 * with a cast) can pass a lowercase status, a string for a list, or a number for a
 * Duration: each is caught here with one message that names the construct, its path and
 * the bad value, instead of a deploy-time failure or a TypeError. Values that are tokens
 * are known only at deploy time: the handler checks those.
 *
 * (aws-cdk-lib's own ValidationError is internal to it, so these are plain Errors.)
 */
export class PropChecks {
  /** `where` names what is checked, e.g. `AccountLink Stack/Link`. */
  constructor(private readonly where: string) {}

  /** Throws an Error whose message names the construct and its path. */
  public fail(message: string): never {
    throw new Error(`${this.where}: ${message}`);
  }

  /** The props object itself (a JavaScript caller may leave it out). */
  public props<T extends object>(props: T | undefined, required: boolean): T {
    if (props === undefined || props === null) {
      if (required) this.fail('props are required');
      return {} as T;
    }
    if (typeof props !== 'object' || Array.isArray(props)) this.fail(`props must be an object, got ${show(props)}`);
    return props;
  }

  /** An optional string; a literal must match `pattern`. */
  public string(name: string, value: unknown, pattern?: RegExp): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string') this.fail(`${name} must be a string, got ${show(value)}`);
    if (pattern && !Token.isUnresolved(value) && !pattern.test(value)) {
      this.fail(`${name} ${JSON.stringify(value)} does not match ${pattern.source}`);
    }
    return value;
  }

  /** An optional AccountLinkStatus (the enum's values are the API's upper-case names). */
  public status(name: string, value: unknown): AccountLinkStatus | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !STATUSES.includes(value)) {
      this.fail(`${name} ${show(value)} is not one of ${STATUSES.join(', ')}`);
    }
    return value as AccountLinkStatus;
  }

  /** An optional list of statuses. */
  public statusList(name: string, value: unknown): AccountLinkStatus[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) this.fail(`${name} must be a list of statuses, got ${show(value)}`);
    return value.map((status, index) => this.status(`${name}[${index}]`, status)!);
  }

  /** An optional Duration. */
  public duration(name: string, value: unknown): Duration | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || typeof (value as Duration).toSeconds !== 'function') {
      this.fail(`${name} must be a Duration (such as Duration.minutes(10)), got ${show(value)}`);
    }
    return value as Duration;
  }

  /** An optional boolean. */
  public boolean(name: string, value: unknown): boolean | undefined {
    if (value !== undefined && typeof value !== 'boolean') this.fail(`${name} must be true or false, got ${show(value)}`);
    return value as boolean | undefined;
  }

  /** An optional whole number of at least 1 (a token is checked at deploy time). */
  public wholeNumber(name: string, value: unknown): number | undefined {
    if (value === undefined || (typeof value === 'number' && Token.isUnresolved(value))) return value as number | undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) this.fail(`${name} must be a whole number of at least 1, got ${show(value)}`);
    return value;
  }

  /** An optional value of a string enum (such as RemovalPolicy). */
  public oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T | undefined {
    if (value !== undefined && !allowed.includes(value as T)) this.fail(`${name} ${show(value)} is not one of ${allowed.join(', ')}`);
    return value as T | undefined;
  }

  /**
   * `waitTimeout` and `pollInterval` by the wait rule every construct, the step, the check
   * command and the handler share (contract.ts's checkWait): undefined without a wait.
   */
  public wait(waitTimeout: Duration | undefined, pollInterval: Duration | undefined, limits: WaitLimits): CheckedWait | undefined {
    const setting = (duration: Duration | undefined) => duration
      && { seconds: duration.toSeconds({ integral: false }), shown: duration.toHumanString() };
    const wait = checkWait(setting(waitTimeout), setting(pollInterval), limits, { wait: 'waitTimeout', poll: 'pollInterval' });
    if (wait && 'problem' in wait) this.fail(wait.problem);
    return wait;
  }

  /** Exactly one of two optional values is set. */
  public exactlyOne(names: [string, string], values: [unknown, unknown]): void {
    if ((values[0] === undefined) === (values[1] === undefined)) this.fail(`set exactly one of ${names[0]} and ${names[1]}`);
  }
}

const STATUSES: string[] = Object.values(AccountLinkStatus);

/** A value as the user wrote it, shortened. */
function show(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'object' && value !== null && !Array.isArray(value) && value.constructor !== Object
      ? `a ${value.constructor.name}`
      : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
