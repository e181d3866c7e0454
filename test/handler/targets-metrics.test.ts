import Ajv from 'ajv';
import { metricDocument, MetricValues, writeMetrics } from '../../lambda/targets/metrics';
import { METRIC_DIMENSION, METRIC_NAMESPACE, TargetsMetric } from '../../src/contract';
import emfSchema from '../support/emf-schema.json';

// The metric line against CloudWatch's embedded metric format (EMF) specification:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
// (read 2026-12-07). test/support/emf-schema.json is the page's JSON schema ("Embedded metric format
// example and JSON schema") as published; the rules it cannot express are checked one by one below,
// with the limits of CloudWatch's PutMetricData API (MetricDatum, Dimension, Namespace:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html, and
// botocore's cloudwatch/2010-08-01/service-2.json, which carries the same model).

/** The worst case of the dimension's value: a 128-character stack name and a 255-character logical id. */
const STACK_NAME = `S${'tack-name'.repeat(15)}`.slice(0, 128);
const LOGICAL_ID = `Targets${'A1'.repeat(130)}`.slice(0, 255);
const WORST_RESOURCE = `${STACK_NAME}/${LOGICAL_ID}`;
const NOW = 1_800_000_000_123;

const VALUES: MetricValues = {
  [TargetsMetric.TARGET_COUNT]: 2000,
  [TargetsMetric.LINKED_COUNT]: 1500,
  [TargetsMetric.PENDING_COUNT]: 400,
  [TargetsMetric.NOT_LINKED_COUNT]: 100,
  [TargetsMetric.INVITED]: 37,
  [TargetsMetric.RELEASED]: 0,
  [TargetsMetric.THROTTLED]: 12,
};
// A run's plain fields: the occurrence (a scheduled time or an event id) and what started it.
const RUN_FIELDS = { run: '2026-12-07T06:45:00Z', trigger: 'account-event' };

/** CloudWatch's StandardUnit values (PutMetricData's MetricDatum.Unit; botocore cloudwatch StandardUnit enum). */
const STANDARD_UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits',
  'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second',
  'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second',
  'Terabits/Second', 'Count/Second', 'None',
];

/** The members the spec defines for what metricDocument writes. */
interface Directive {
  readonly Namespace: string;
  readonly Dimensions: string[][];
  readonly Metrics: Array<{ readonly Name: string; readonly Unit?: string }>;
}
interface EmfDocument {
  readonly _aws: { readonly Timestamp: number; readonly CloudWatchMetrics: Directive[] };
  readonly [member: string]: unknown;
}

const validate = new Ajv({ allErrors: true }).compile(emfSchema);
/** The document as CloudWatch Logs reads it: the line written, parsed. */
const asLogged = (document: object): EmfDocument => JSON.parse(JSON.stringify(document));
const worstCase = () => asLogged(metricDocument(WORST_RESOURCE, VALUES, RUN_FIELDS, NOW));

/** Printable ASCII with at least one non-space character: what the Dimension reference allows for names and values. */
const ASCII_VISIBLE = /^(?=.*[^ ])[\x20-\x7e]+$/;

test('the schema accepts the page\'s own example and refuses what it rules out (the fixture is the schema)', () => {
  const example = {
    _aws: {
      Timestamp: 1574109732004,
      CloudWatchMetrics: [{ Namespace: 'lambda-function-metrics', Dimensions: [['functionVersion']], Metrics: [{ Name: 'time', Unit: 'Milliseconds', StorageResolution: 60 }] }],
    },
    functionVersion: '$LATEST',
    time: 100,
    requestId: '989ffbf8-9ace-4817-a57c-e4dd734019ee',
  };
  expect(validate(example)).toBe(true);
  const directive = example._aws.CloudWatchMetrics[0];
  const variant = (change: object) => ({ ...example, _aws: { ...example._aws, CloudWatchMetrics: [{ ...directive, ...change }] } });
  expect(validate(variant({ Dimensions: [Array.from({ length: 31 }, (_, i) => `d${i}`)] }))).toBe(false);
  expect(validate(variant({ Metrics: [{ Name: 'time', Unit: 'Counts' }] }))).toBe(false);
  expect(validate(variant({ Dimensions: [] }))).toBe(false);
  expect(validate({ ...example, _aws: { ...example._aws, Timestamp: 1574109732004.5 } })).toBe(false);
});

test('a run\'s and a deployment\'s documents, worst case included, validate against the spec\'s JSON schema', () => {
  for (const document of [
    worstCase(),
    asLogged(metricDocument('my-stack/Targets', VALUES, { request: '6d2c0d5e-8a4b-4c6b-9b9a-5f3e2a1c0b7d', requestType: 'Update' }, NOW)),
    asLogged(metricDocument('my-stack/Targets', VALUES)),
  ]) {
    expect(validate(document) ? [] : validate.errors).toEqual([]);
  }
  expect(worstCase()._aws.Timestamp).toBe(NOW);
});

test('one directive: our namespace, the resource as its one dimension, the seven metrics in Count', () => {
  const document = worstCase();
  expect(document._aws.CloudWatchMetrics).toEqual([{
    Namespace: METRIC_NAMESPACE,
    Dimensions: [[METRIC_DIMENSION]],
    Metrics: Object.values(TargetsMetric).map((name) => ({ Name: name, Unit: 'Count' })),
  }]);
  // The plain fields are log fields beside the metrics, not dimensions (a run's id would make a metric of every run).
  expect(document).toMatchObject(RUN_FIELDS);
  expect(document._aws.CloudWatchMetrics[0].Dimensions.flat()).not.toEqual(expect.arrayContaining(Object.keys(RUN_FIELDS)));
});

test('every target member is a member of the root: dimension values strings, metric values numbers (Target members)', () => {
  const document = worstCase();
  for (const directive of document._aws.CloudWatchMetrics) {
    for (const name of directive.Dimensions.flat()) {
      // "A dimension target MUST have a string value. This value MUST NOT contain more than 1024 characters."
      expect(typeof document[name]).toBe('string');
    }
    for (const { Name } of directive.Metrics) {
      // "A metric target MUST be a numeric value or an array of numeric values."
      expect(typeof document[Name]).toBe('number');
      expect(Number.isFinite(document[Name])).toBe(true);
    }
  }
  expect(document[METRIC_DIMENSION]).toBe(WORST_RESOURCE);
  expect(Object.fromEntries(Object.values(TargetsMetric).map((name) => [name, document[name]]))).toEqual(VALUES);
});

test('a plain field never takes the place of the dimension or a metric', () => {
  const document = asLogged(metricDocument('my-stack/Targets', VALUES, { [METRIC_DIMENSION]: 'other', [TargetsMetric.LINKED_COUNT]: 'many' }, NOW));
  expect(document[METRIC_DIMENSION]).toBe('my-stack/Targets');
  expect(document[TargetsMetric.LINKED_COUNT]).toBe(VALUES[TargetsMetric.LINKED_COUNT]);
});

test('the counts the spec sets: at most 30 dimensions a set, 100 metrics a directive, each metric named once', () => {
  for (const directive of worstCase()._aws.CloudWatchMetrics) {
    for (const set of directive.Dimensions) expect(set.length).toBeLessThanOrEqual(30);
    expect(directive.Metrics.length).toBeLessThanOrEqual(100);
    expect(new Set(directive.Metrics.map((m) => m.Name)).size).toBe(directive.Metrics.length);
  }
});

test('each Unit is one of CloudWatch\'s StandardUnit values', () => {
  for (const { Unit } of worstCase()._aws.CloudWatchMetrics.flatMap((d) => d.Metrics)) expect(STANDARD_UNITS).toContain(Unit);
});

test('names and values within CloudWatch\'s limits (PutMetricData: Namespace, MetricName, Dimension)', () => {
  const document = worstCase();
  const [directive] = document._aws.CloudWatchMetrics;
  // Namespace: 1..255, pattern [^:].*, ASCII without control characters, not AWS/ (reserved for AWS's services).
  expect(directive.Namespace.length).toBeGreaterThanOrEqual(1);
  expect(directive.Namespace.length).toBeLessThanOrEqual(255);
  expect(directive.Namespace).toMatch(/^[^:].*$/);
  expect(directive.Namespace).toMatch(ASCII_VISIBLE);
  expect(directive.Namespace.startsWith('AWS/')).toBe(false);
  // MetricName: 1..255.
  for (const { Name } of directive.Metrics) {
    expect(Name.length).toBeGreaterThanOrEqual(1);
    expect(Name.length).toBeLessThanOrEqual(255);
  }
  // Dimension Name: 1..255 (the EMF schema's DimensionReference: 1..250), ASCII, not starting with ':'.
  for (const name of directive.Dimensions.flat()) {
    expect(name.length).toBeGreaterThanOrEqual(1);
    expect(name.length).toBeLessThanOrEqual(250);
    expect(name).toMatch(ASCII_VISIBLE);
    expect(name.startsWith(':')).toBe(false);
    // Dimension Value: 1..1024, ASCII with a non-whitespace character; the worst case is 128 + 1 + 255.
    const value = document[name] as string;
    expect(value.length).toBe(384);
    expect(value.length).toBeLessThanOrEqual(1024);
    expect(value).toMatch(ASCII_VISIBLE);
  }
});

test('the line stays far below a log event\'s size limit', () => {
  const line = `${JSON.stringify(metricDocument(WORST_RESOURCE, VALUES, RUN_FIELDS, NOW))}\n`;
  // The spec page says 1 MB now (256 KB in earlier versions of the same page): the line is held to the smaller,
  // with PutLogEvents' 26 bytes of overhead an event counts for.
  expect(Buffer.byteLength(line, 'utf8') + 26).toBeLessThan(256 * 1024);
  expect(Buffer.byteLength(line, 'utf8')).toBeLessThan(2048);
});

test('writeMetrics writes exactly one line, the document, to stdout, and nothing through console', () => {
  const document = metricDocument(WORST_RESOURCE, VALUES, RUN_FIELDS, NOW);
  const written: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  const consoles = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) => jest.spyOn(console, method).mockImplementation(() => undefined));
  try {
    writeMetrics(document);
  } finally {
    stdout.mockRestore();
    consoles.forEach((spy) => spy.mockRestore());
  }
  expect(written).toHaveLength(1);
  // One line: the JSON object and its newline, nothing before or after it (Root node: "no additional data").
  expect(written[0].endsWith('\n')).toBe(true);
  expect(written[0].indexOf('\n')).toBe(written[0].length - 1);
  expect(JSON.parse(written[0])).toEqual(asLogged(document));
  for (const spy of consoles) expect(spy).not.toHaveBeenCalled();
});

// Lambda's log-level filtering applies to JSON lines of stdout too: a line without `level` counts as INFO and is dropped
// when the function's application log level is WARN or above
// (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html).
test('the document carries the lowest level the function\'s application log level lets through, INFO by default', () => {
  const saved = process.env.AWS_LAMBDA_LOG_LEVEL;
  try {
    delete process.env.AWS_LAMBDA_LOG_LEVEL;
    expect(metricDocument('s/r', VALUES)).toMatchObject({ level: 'INFO' });
    process.env.AWS_LAMBDA_LOG_LEVEL = 'WARN';
    expect(metricDocument('s/r', VALUES)).toMatchObject({ level: 'WARN' });
  } finally {
    if (saved === undefined) delete process.env.AWS_LAMBDA_LOG_LEVEL;
    else process.env.AWS_LAMBDA_LOG_LEVEL = saved;
  }
});
