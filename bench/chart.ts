/**
 * The performance page's chart: the benchmark's throttling and organization rows, ours
 * against theirs, as an SVG drawn from the report's own text (the table `npm run bench`
 * prints and `--readme` writes on docs/performance.md), so that the picture and the table
 * cannot disagree. Each row is drawn to its own scale, its larger figure full length: the
 * rows count different things (lookups, seconds, calls).
 */

/** One row of the table: a figure of each side. */
export interface Bar {
  readonly label: string;
  readonly ours: number;
  readonly theirs: number;
}

/** A group of rows, and what its two sides are. */
export interface Panel {
  readonly title: string;
  readonly ours: string;
  readonly theirs: string;
  readonly bars: Bar[];
}

export interface Chart {
  readonly panels: Panel[];
  /** The report's `machine: …` line: figures depend on it. */
  readonly machine: string;
}

/** The rows of lookups started at once against the rate-limited API: `100 lookups at once, 2/s: succeeded`. */
const LOOKUPS_ROW = /^(\d+) lookups at once, (\d+)\/s: (.+)$/;
/** The heading row of the targets comparison, whose rows follow it indented. */
const TARGETS_HEADING = /^(\d+) targets, (\d+)\/s, (\S+) vs (.+)$/;

/** The throttling and organization rows of a bench report. */
export function chartOf(report: string): Chart {
  const lines = report.split('\n');
  const tableEnd = lines.findIndex((line) => line.trim() === '');
  const table = lines.slice(0, tableEnd < 0 ? lines.length : tableEnd);
  const cells = (line: string) => line.trim().split(/ {2,}/);
  const [header] = table.map(cells);
  if (header?.[0] !== 'figure' || header.length < 3) throw new Error('not a bench report: its table has no "figure  ours  <theirs>" header');
  const machine = lines.find((line) => line.startsWith('machine: '));
  if (!machine) throw new Error('the bench report has no "machine:" line');

  const lookups = table.map(cells).map((row) => ({ row, match: LOOKUPS_ROW.exec(row[0]) })).filter(({ match }) => match);
  if (lookups.length === 0) throw new Error('the bench report has no "N lookups at once, R/s: …" rows');
  const [, count, rate] = lookups[0].match!;
  const throttling: Panel = {
    title: `${count} lookups created at once, against an API that allows ${rate} calls a second`,
    ours: 'these constructs',
    theirs: header[2],
    bars: lookups.flatMap(({ row, match }) => barsOf(match![3], row[1], row[2])),
  };

  const heading = table.findIndex((line) => TARGETS_HEADING.test(line.trim()));
  if (heading < 0) throw new Error('the bench report has no "N targets, R/s, … vs …" rows');
  const [, targets, targetsRate, ours, theirs] = TARGETS_HEADING.exec(table[heading].trim())!;
  const rows = [];
  for (const line of table.slice(heading + 1)) {
    if (!line.startsWith('  ')) break;
    rows.push(cells(line));
  }
  const organization: Panel = {
    title: `${targets} targets linked, against an API that allows ${targetsRate} calls a second`,
    ours,
    theirs,
    bars: rows.flatMap((row) => barsOf(row[0], row[1], row[2])),
  };
  return { panels: [throttling, organization], machine };
}

/**
 * A row's bars: `wall s  63.6  11.5` is one; `API calls (throttled)  729 (629)  285 (273)`
 * is two, the calls and, of them, the throttled ones.
 */
function barsOf(label: string, ours: string | undefined, theirs: string | undefined): Bar[] {
  const figures = (cell: string | undefined) => {
    const match = /^(\d+(?:\.\d+)?)(?: \((\d+(?:\.\d+)?)\))?$/.exec(cell ?? '');
    if (!match) throw new Error(`the bench report's row "${label}" has "${cell}" where a figure belongs`);
    return match.slice(1).filter((figure) => figure !== undefined).map(Number);
  };
  const [a, b] = [figures(ours), figures(theirs)];
  const nested = /^(.+) \((.+)\)$/.exec(label);
  if (a.length === 2 && b.length === 2 && nested) {
    return [{ label: nested[1], ours: a[0], theirs: b[0] }, { label: `of which ${nested[2]}`, ours: a[1], theirs: b[1] }];
  }
  if (a.length !== 1 || b.length !== 1) throw new Error(`the bench report's row "${label}" has figures the chart cannot pair: "${ours}", "${theirs}"`);
  return [{ label, ours: a[0], theirs: b[0] }];
}

const WIDTH = 800;
const LABEL_X = 24;
const BAR_X = 230;
/** The longest bar; what is right of it holds the figure. */
const BAR_LENGTH = 470;
const BAR_HEIGHT = 14;
const ROW_HEIGHT = 42;
const COLOURS = { ours: '#2563eb', theirs: '#ea580c', text: '#1f2937', muted: '#6b7280', frame: '#d1d5db' };

/** The chart as an SVG document (white, so that it reads on a dark page too). */
export function chartSvg(chart: Chart): string {
  const body: string[] = [];
  let y = 36;
  body.push(text(LABEL_X, y, 'Throttling and a whole organization, from the benchmark', { size: 17, weight: 'bold' }));
  y += 22;
  body.push(text(LABEL_X, y, 'Each row to its own scale: its larger figure is full length.', { size: 12, colour: COLOURS.muted }));
  for (const panel of chart.panels) {
    y += 38;
    body.push(text(LABEL_X, y, panel.title, { size: 14, weight: 'bold' }));
    y += 22;
    body.push(swatch(LABEL_X, y - 10, COLOURS.ours), text(LABEL_X + 18, y, panel.ours, { size: 12 }));
    const theirsX = LABEL_X + 18 + 8 * panel.ours.length + 30;
    body.push(swatch(theirsX, y - 10, COLOURS.theirs), text(theirsX + 18, y, panel.theirs, { size: 12 }));
    y += 14;
    for (const bar of panel.bars) {
      const scale = Math.max(bar.ours, bar.theirs);
      body.push(text(LABEL_X, y + BAR_HEIGHT + 4, bar.label, { size: 13 }));
      body.push(barOf('ours', y, bar.ours, scale), barOf('theirs', y + BAR_HEIGHT + 2, bar.theirs, scale));
      y += ROW_HEIGHT;
    }
  }
  y += 10;
  body.push(text(LABEL_X, y, `Drawn by npm run bench -- --readme from its figures (docs/performance.md). ${chart.machine}`, { size: 11, colour: COLOURS.muted }));
  const height = y + 18;
  const description = chart.panels.map((panel) => `${panel.title}: ${panel.bars.map((bar) =>
    `${bar.label}, ${panel.ours} ${bar.ours}, ${panel.theirs} ${bar.theirs}`).join('; ')}.`).join(' ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="title desc">`,
    '  <title id="title">Throttling and a whole organization: these constructs against the alternatives</title>',
    `  <desc id="desc">${escape(description)}</desc>`,
    `  <rect x="0.5" y="0.5" width="${WIDTH - 1}" height="${height - 1}" rx="6" fill="#ffffff" stroke="${COLOURS.frame}"/>`,
    `  <g font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" fill="${COLOURS.text}">`,
    ...body.map((element) => `    ${element}`),
    '  </g>',
    '</svg>',
    '',
  ].join('\n');
}

/** One side's bar of a row, and its figure right of it. */
function barOf(side: 'ours' | 'theirs', y: number, value: number, scale: number): string {
  const length = scale === 0 ? 0 : round((value / scale) * BAR_LENGTH);
  return `<rect class="bar ${side}" x="${BAR_X}" y="${y}" width="${length}" height="${BAR_HEIGHT}" fill="${COLOURS[side]}"/>`
    + text(BAR_X + length + 6, y + BAR_HEIGHT - 2, String(value), { size: 12 });
}

function swatch(x: number, y: number, colour: string): string {
  return `<rect x="${x}" y="${y}" width="12" height="12" fill="${colour}"/>`;
}

function text(x: number, y: number, content: string, style: { size: number; weight?: string; colour?: string }): string {
  const weight = style.weight ? ` font-weight="${style.weight}"` : '';
  const colour = style.colour ? ` fill="${style.colour}"` : '';
  return `<text x="${x}" y="${y}" font-size="${style.size}"${weight}${colour}>${escape(content)}</text>`;
}

const escape = (content: string) => content.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const round = (n: number) => Math.round(n * 10) / 10;
