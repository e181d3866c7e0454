/** What a template's intrinsic functions refer to, as a deployment knows it. */
export interface ResolveContext {
  /** `Ref` of a resource or parameter (pseudo parameters included). */
  ref(logicalId: string): unknown;
  /** `Fn::GetAtt` of a resource. */
  getAtt(logicalId: string, attribute: string): unknown;
  /** `Fn::ImportValue` of another stack's export. */
  importValue(name: string): unknown;
}

/**
 * Resolves the intrinsic functions CDK apps like ours produce (Ref, Fn::GetAtt, Fn::Join,
 * Fn::Split, Fn::Select, Fn::Sub, Fn::ImportValue) into plain values. Anything else is an
 * error, not a guess.
 */
export function resolve(value: unknown, context: ResolveContext): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => resolve(v, context));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const entries = Object.entries(value);
  if (entries.length === 1 && (entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::'))) {
    const [name, arg] = entries[0];
    return intrinsic(name, arg, context);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v, context)]));
}

function intrinsic(name: string, arg: unknown, context: ResolveContext): unknown {
  switch (name) {
    case 'Ref':
      return context.ref(arg as string);
    case 'Fn::GetAtt': {
      const [id, attribute] = typeof arg === 'string' ? splitOnce(arg, '.') : (arg as [string, string]);
      return context.getAtt(id, attribute);
    }
    case 'Fn::Join': {
      const [separator, list] = arg as [string, unknown[]];
      return (resolve(list, context) as unknown[]).join(separator);
    }
    case 'Fn::Split': {
      const [separator, text] = arg as [string, unknown];
      return String(resolve(text, context)).split(separator);
    }
    case 'Fn::Select': {
      const [index, list] = resolve(arg, context) as [number | string, unknown[]];
      const item = list[Number(index)];
      if (item === undefined) throw new Error(`Fn::Select: index ${index} is out of a list of ${list.length}`);
      return item;
    }
    case 'Fn::Sub': {
      const [text, vars] = typeof arg === 'string' ? [arg, {}] : (arg as [string, Record<string, unknown>]);
      return text.replace(/\$\{([^}]+)\}/g, (_, ref: string) => {
        if (ref in vars) return String(resolve(vars[ref], context));
        return String(ref.includes('.') ? context.getAtt(...splitOnce(ref, '.')) : context.ref(ref));
      });
    }
    case 'Fn::ImportValue':
      return context.importValue(String(resolve(arg, context)));
    default:
      throw new Error(`intrinsic function ${name} is not supported by the local deployment`);
  }
}

/** Logical ids a value refers to (Ref, Fn::GetAtt, Fn::Sub), for ordering resources. */
export function references(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => references(v, found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, arg] of Object.entries(value)) {
      if (key === 'Ref' && typeof arg === 'string' && !arg.startsWith('AWS::')) {found.add(arg);} else if (key === 'Fn::GetAtt') {found.add(typeof arg === 'string' ? splitOnce(arg, '.')[0] : (arg as string[])[0]);} else if (key === 'Fn::Sub') {
        const text = typeof arg === 'string' ? arg : (arg as [string])[0];
        for (const [, ref] of text.matchAll(/\$\{([^}!][^}]*)\}/g)) {
          if (!ref.startsWith('AWS::')) found.add(ref.split('.')[0]);
        }
        if (Array.isArray(arg)) references(arg[1], found);
      } else {references(arg, found);}
    }
  }
  return found;
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return [text.slice(0, at), text.slice(at + 1)];
}
