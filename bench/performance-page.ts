/**
 * Where `npm run bench -- --readme` puts a full run's figures: the report between the
 * markers of docs/performance.md, and the chart of its throttling and organization rows
 * next to it (docs/images/bench-scale.svg), drawn from that same report.
 *
 * Run on its own (`npx ts-node --project bench/tsconfig.json bench/performance-page.ts`),
 * it draws the chart again from the figures already on the page, without a bench run: after
 * a change to the drawing (test/bench/chart.test.ts fails until then).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { chartOf, chartSvg } from './chart';

export const PERFORMANCE_PAGE = path.join(__dirname, '..', 'docs', 'performance.md');
/** The chart, which the page shows as `images/bench-scale.svg`. */
export const CHART = path.join(__dirname, '..', 'docs', 'images', 'bench-scale.svg');
const START = '<!-- bench:start (written by npm run bench -- --readme) -->';
const END = '<!-- bench:end -->';
const FENCE_OPEN = '```text\n';
const FENCE_CLOSE = '```\n';

/** The report on a page, between the markers, as the bench printed it. */
export function figuresOf(page: string): string {
  const block = blockOf(page);
  const inner = page.slice(block.start, block.end).trim() + '\n';
  if (!inner.startsWith(FENCE_OPEN) || !inner.endsWith(FENCE_CLOSE)) throw new Error(`the block between ${START} and ${END} is not one \`\`\`text block`);
  return inner.slice(FENCE_OPEN.length, -FENCE_CLOSE.length);
}

/** The page with a report in place of the one between its markers; the rest as it was. */
export function withFigures(page: string, report: string): string {
  const block = blockOf(page);
  return `${page.slice(0, block.start)}\n${FENCE_OPEN}${report}${FENCE_CLOSE}${page.slice(block.end)}`;
}

/** Writes a full run's report on the page and draws its chart (drawn first: a report the chart cannot read changes nothing). */
export function writePerformancePage(report: string): void {
  const svg = chartSvg(chartOf(report));
  writeFileSync(PERFORMANCE_PAGE, withFigures(readFileSync(PERFORMANCE_PAGE, 'utf8'), report));
  writeFileSync(CHART, svg);
}

/** Where the report sits: after the start marker, up to the end marker. */
function blockOf(page: string): { start: number; end: number } {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${path.relative(process.cwd(), PERFORMANCE_PAGE)} has no ${START} ... ${END} block for the figures`);
  return { start: start + START.length, end };
}

if (require.main === module) {
  writeFileSync(CHART, chartSvg(chartOf(figuresOf(readFileSync(PERFORMANCE_PAGE, 'utf8')))));
  process.stderr.write(`bench: drew ${path.relative(process.cwd(), CHART)} from the figures on ${path.relative(process.cwd(), PERFORMANCE_PAGE)}\n`);
}
