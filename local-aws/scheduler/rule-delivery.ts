/** An event on an event bus, in EventBridge's envelope. */
export interface BusEvent {
  readonly 'version': string;
  readonly 'id': string;
  readonly 'detail-type': string;
  readonly 'source': string;
  readonly 'account': string;
  readonly 'time': string;
  readonly 'region': string;
  readonly 'resources': string[];
  readonly 'detail': Record<string, unknown>;
}

/** A rule's target as the template gives it (AWS::Events::Rule Targets[]), resolved. */
export interface RuleTarget {
  readonly Arn: string;
  readonly Id: string;
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: { readonly InputPathsMap?: Record<string, string>; readonly InputTemplate: string };
}

/**
 * What a rule's target is invoked with for `event`, as EventBridge builds it: the constant
 * Input, the part of the event InputPath selects, the InputTransformer's template with its
 * variables put in, or the whole event.
 */
export function targetInput(target: RuleTarget, event: BusEvent, rule: { readonly arn: string; readonly name: string }): unknown {
  if (target.Input !== undefined) return JSON.parse(target.Input);
  if (target.InputPath !== undefined) return select(event, target.InputPath);
  const transformer = target.InputTransformer;
  if (transformer === undefined) return event;
  const variables: Record<string, unknown> = {
    'aws.events.rule-arn': rule.arn,
    'aws.events.rule-name': rule.name,
    'aws.events.event.ingestion-time': event.time,
    'aws.events.event': event,
    'aws.events.event.json': event,
  };
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) variables[name] = select(event, path);
  return JSON.parse(fillTemplate(transformer.InputTemplate, variables));
}

/**
 * Puts the variables into an input template: inside a JSON string, a variable's text
 * (a string as it is); elsewhere, its JSON. Placeholders of no variable stay as they are.
 */
function fillTemplate(template: string, variables: Record<string, unknown>): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const char = template[i];
    if (char === '\\' && inString) {
      out += template.slice(i, i + 2);
      i++;
      continue;
    }
    if (char === '"') inString = !inString;
    const placeholder = char === '<' ? /^<([\w.-]+)>/.exec(template.slice(i)) : null;
    if (placeholder && placeholder[1] in variables) {
      const value = variables[placeholder[1]];
      out += inString ? (typeof value === 'string' ? JSON.stringify(value).slice(1, -1) : JSON.stringify(JSON.stringify(value)).slice(1, -1)) : JSON.stringify(value);
      i += placeholder[0].length - 1;
      continue;
    }
    out += char;
  }
  return out;
}

/** The value at a JSONPath of dotted names (`$.detail.eventName`), as InputPath and InputPathsMap take them. */
function select(event: BusEvent, path: string): unknown {
  if (path === '$') return event;
  if (!/^\$(\.[\w-]+)+$/.test(path)) throw new Error(`JSONPath ${path}: the local scheduler reads only $.name.name... paths`);
  return path.slice(2).split('.').reduce<unknown>((value, name) => (value as Record<string, unknown> | undefined)?.[name], event);
}

/**
 * Whether an event matches a rule's event pattern: each field of the pattern is a list of
 * values one of which the event's field (or one of its values, for a list) equals, or an
 * object that matches the event's object there. Content filters (prefix, anything-but,
 * numeric, exists, ...) are not matched here: such a pattern is an error, not a guess.
 */
export function matchesPattern(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([field, wanted]) => {
    const value = event[field];
    if (Array.isArray(wanted)) {
      if (wanted.some((w) => typeof w === 'object' && w !== null)) {
        throw new Error(`event pattern field ${field}: content filters (${JSON.stringify(wanted)}) are not matched by the local scheduler`);
      }
      const values = Array.isArray(value) ? value : [value];
      return values.some((v) => wanted.includes(v));
    }
    if (typeof wanted === 'object' && wanted !== null) {
      return typeof value === 'object' && value !== null && matchesPattern(wanted as Record<string, unknown>, value as Record<string, unknown>);
    }
    throw new Error(`event pattern field ${field}: ${JSON.stringify(wanted)} is neither a list of values nor an object`);
  });
}
