const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** Whole seconds from `90`, `90s`, `10m` or `1h`; undefined if the text is none of these. */
export function parseSeconds(text: string): number | undefined {
  const match = /^(\d+)([smh]?)$/.exec(text.trim());
  return match ? Number(match[1]) * UNITS[match[2] || 's'] : undefined;
}
