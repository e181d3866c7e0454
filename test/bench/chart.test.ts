import { readFileSync } from 'node:fs';
import { Chart, chartOf, chartSvg } from '../../bench/chart';
import { CHART, figuresOf, PERFORMANCE_PAGE, withFigures } from '../../bench/performance-page';

// The performance page's chart is drawn from the bench's report, the same text the page shows:
// these tests read the report the way the bench writes it, and hold the committed chart to
// the committed figures.

/** A report as bench/index.ts prints it (its table, then the rest), with figures of its own. */
const REPORT = [
  'figure                                         ours        AwsCustomResource  ours / theirs',
  'resources, 1 lookup                            6           4                  1.50x',
  '40 lookups at once, 3/s: succeeded             40          7                  5.71x',
  '40 lookups at once, 3/s: wall s                20.5        4.1                5.00x',
  '40 lookups at once, 3/s: API calls (throttled)  300 (200)   90 (80)            3.33x',
  '10 gates at once, 5 s polls: passed            10          no gate',
  '30 targets, 3/s, AccountLinkTargets vs 30 invitation + acceptance pairs',
  '  custom resources                             1           60                 0.02x',
  '  LINKED                                       30          24                 1.25x',
  '  API calls (throttled)                        62 (1)      400 (350)          0.16x',
  '',
  'met     a target: 1',
  '',
  'machine: Test CPU, 4 cores, node v22.0.0, linux x64',
  '',
].join('\n');

test('the throttling and the organization rows become two panels of bars, each figure as the report has it', () => {
  const chart = chartOf(REPORT);
  expect(chart.machine).toBe('machine: Test CPU, 4 cores, node v22.0.0, linux x64');
  expect(chart.panels).toEqual([
    {
      title: '40 lookups created at once, against an API that allows 3 calls a second',
      ours: 'these constructs',
      theirs: 'AwsCustomResource',
      bars: [
        { label: 'succeeded', ours: 40, theirs: 7 },
        { label: 'wall s', ours: 20.5, theirs: 4.1 },
        { label: 'API calls', ours: 300, theirs: 90 },
        { label: 'of which throttled', ours: 200, theirs: 80 },
      ],
    },
    {
      title: '30 targets linked, against an API that allows 3 calls a second',
      ours: 'AccountLinkTargets',
      theirs: '30 invitation + acceptance pairs',
      bars: [
        { label: 'custom resources', ours: 1, theirs: 60 },
        { label: 'LINKED', ours: 30, theirs: 24 },
        { label: 'API calls', ours: 62, theirs: 400 },
        { label: 'of which throttled', ours: 1, theirs: 350 },
      ],
    },
  ]);
});

test('each row is drawn to its own scale: the larger figure full length, the other in proportion', () => {
  const chart: Chart = {
    machine: 'machine: m',
    panels: [{ title: 't', ours: 'a', theirs: 'b', bars: [{ label: 'x', ours: 100, theirs: 12 }, { label: 'y', ours: 0, theirs: 0 }] }],
  };
  const widths = [...chartSvg(chart).matchAll(/class="bar (ours|theirs)"[^>]*width="([\d.]+)"/g)].map((m) => [m[1], Number(m[2])]);
  expect(widths).toEqual([['ours', 470], ['theirs', 56.4], ['ours', 0], ['theirs', 0]]);
});

test('text is escaped for XML', () => {
  const chart: Chart = { machine: 'machine: <a & b>', panels: [{ title: 'x < y', ours: 'a', theirs: 'b', bars: [] }] };
  const svg = chartSvg(chart);
  expect(svg).toContain('x &lt; y');
  expect(svg).toContain('machine: &lt;a &amp; b&gt;');
  expect(svg).not.toMatch(/<a & b>/);
});

test('a report without the rows, or with a figure the chart cannot read, is refused with the reason', () => {
  const without = (pattern: RegExp) => REPORT.split('\n').filter((line) => !pattern.test(line)).join('\n');
  expect(() => chartOf(without(/lookups at once/))).toThrow('the bench report has no "N lookups at once, R/s: …" rows');
  expect(() => chartOf(without(/targets, 3\/s/))).toThrow('the bench report has no "N targets, R/s, … vs …" rows');
  expect(() => chartOf(without(/^machine:/))).toThrow('the bench report has no "machine:" line');
  expect(() => chartOf(REPORT.replace('20.5        4.1', 'fast        4.1'))).toThrow('the bench report\'s row "wall s" has "fast" where a figure belongs');
  expect(() => chartOf('hello')).toThrow('not a bench report');
});

test('the page\'s block round-trips: the figures read from it and written back leave it as it was', () => {
  const page = readFileSync(PERFORMANCE_PAGE, 'utf8');
  expect(withFigures(page, figuresOf(page))).toBe(page);
  const rewritten = withFigures(page, REPORT);
  expect(figuresOf(rewritten)).toBe(REPORT);
  expect(rewritten.slice(0, rewritten.indexOf('<!-- bench:start'))).toBe(page.slice(0, page.indexOf('<!-- bench:start')));
  expect(rewritten.slice(rewritten.indexOf('<!-- bench:end'))).toBe(page.slice(page.indexOf('<!-- bench:end')));
  expect(() => figuresOf('no markers here')).toThrow(/has no <!-- bench:start .* block for the figures/);
});

test('the committed chart is the committed figures, drawn (else: npx ts-node --project bench/tsconfig.json bench/performance-page.ts)', () => {
  const figures = figuresOf(readFileSync(PERFORMANCE_PAGE, 'utf8'));
  expect(readFileSync(CHART, 'utf8')).toBe(chartSvg(chartOf(figures)));
});
