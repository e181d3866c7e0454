import { METRIC_DIMENSION, METRIC_NAMESPACE, TargetsMetric } from '../../src/contract';

/** The value of each metric of one run or deployment. */
export type MetricValues = { readonly [K in typeof TargetsMetric[keyof typeof TargetsMetric]]: number };

/**
 * One CloudWatch embedded metric format (EMF) document: the seven metrics of one run or
 * deployment under METRIC_NAMESPACE, with the resource as their one dimension; `fields`
 * are written beside them as plain log fields (not dimensions: a run's id would make a
 * metric of every run). CloudWatch Logs extracts the metrics: no API call, no permission.
 */
export function metricDocument(resource: string, values: MetricValues, fields: Readonly<Record<string, string>> = {}, now = Date.now()): object {
  return {
    // Lambda filters a JSON line of stdout by its `level` (INFO when it has none) against the function's application log
    // level: the metrics carry the lowest level it lets through, so that a quieter log still has them.
    level: process.env.AWS_LAMBDA_LOG_LEVEL || 'INFO',
    ...fields,
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [{
        Namespace: METRIC_NAMESPACE,
        Dimensions: [[METRIC_DIMENSION]],
        Metrics: Object.keys(values).map((name) => ({ Name: name, Unit: 'Count' })),
      }],
    },
    [METRIC_DIMENSION]: resource,
    ...values,
  };
}

/**
 * Writes the document as one line of its own to stdout, not through console: under
 * Lambda's JSON log format (which the provider sets) the runtime wraps what console
 * writes in a record of its own, where CloudWatch would not find the document's `_aws` at
 * the top; what the function writes to stdout itself reaches the log as it is.
 */
export function writeMetrics(document: object): void {
  process.stdout.write(`${JSON.stringify(document)}\n`);
}
