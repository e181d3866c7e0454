import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { NotLinkedAlarmOptions } from './not-linked-alarm-options';
import { METRIC_DIMENSION, METRIC_NAMESPACE, TargetsMetric } from '../contract';

/** The metrics' period without `reconcileEvery`: deployments write them, at no set rate. */
export const DEFAULT_METRIC_PERIOD = Duration.hours(1);

/**
 * Each metric's statistic: a count of targets is a level that each run and deployment
 * writes whole, so its Maximum over a period is the worst a period saw (with one run a
 * period, that run's count); what a run did (invitations, releases, throttled calls) adds
 * up over a period: Sum.
 */
export const METRIC_STATISTIC: { readonly [name: string]: string } = {
  [TargetsMetric.TARGET_COUNT]: cloudwatch.Stats.MAXIMUM,
  [TargetsMetric.LINKED_COUNT]: cloudwatch.Stats.MAXIMUM,
  [TargetsMetric.PENDING_COUNT]: cloudwatch.Stats.MAXIMUM,
  [TargetsMetric.NOT_LINKED_COUNT]: cloudwatch.Stats.MAXIMUM,
  [TargetsMetric.INVITED]: cloudwatch.Stats.SUM,
  [TargetsMetric.RELEASED]: cloudwatch.Stats.SUM,
  [TargetsMetric.THROTTLED]: cloudwatch.Stats.SUM,
};

/** Runs in a row whose NotLinkedCount is above 0 before `alarmWhenNotLinked`'s alarm fires. */
export const NOT_LINKED_RUNS = 2;

/**
 * The metric `metricName` of one resource (dimension METRIC_DIMENSION = `resource`, the
 * MetricResource property's value), by default over `period` with the metric's statistic;
 * `props` override any of it, as aws-cdk-lib's own `metric*` methods let them.
 */
export function targetsMetric(metricName: string, resource: string, period: Duration, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRIC_NAMESPACE,
    metricName,
    dimensionsMap: { [METRIC_DIMENSION]: resource },
    period,
    statistic: METRIC_STATISTIC[metricName],
    ...props,
  });
}

/**
 * The alarm on `notLinked` (NotLinkedCount over one reconcile interval): above 0 in
 * NOT_LINKED_RUNS periods of NOT_LINKED_RUNS. A period with no data (a run whose metrics
 * land in the next period, a run that failed before writing them, a paused schedule) is
 * ignored: it neither raises the alarm nor clears it, so the alarm changes state only on
 * what runs saw. (`notBreaching` would clear a raised alarm whenever a period is empty;
 * `missing` would put it in INSUFFICIENT_DATA between runs that simply came late.)
 * CloudWatch allows an alarm period × evaluation periods of at most a day below an hour's
 * period, and 7 days from an hour on: reconcileEvery's range (15 minutes to a day) keeps
 * 2 periods within both.
 */
export function notLinkedAlarm(
  scope: Construct, notLinked: cloudwatch.Metric, resource: string, options: NotLinkedAlarmOptions = {},
): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, 'NotLinkedAlarm', {
    metric: notLinked,
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: NOT_LINKED_RUNS,
    datapointsToAlarm: NOT_LINKED_RUNS,
    treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    alarmName: options.alarmName,
    alarmDescription: options.alarmDescription
      ?? `Some target of the WorkSpaces AccountLinkTargets ${resource} has not been linked for ${NOT_LINKED_RUNS} reconcile runs in a row`,
    actionsEnabled: options.actionsEnabled,
  });
}
