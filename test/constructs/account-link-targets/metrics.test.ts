import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { idOf } from './reconcile-support';
import { AccountLinkTargets, AccountLinkTargetsProps } from '../../../src';
import { METRIC_DIMENSION, METRIC_NAMESPACE, RECONCILE_MINUTES, TargetsMetric } from '../../../src/contract';

const OU = 'ou-ab12-34cd56ef';
const stackIn = () => new Stack(new App(), 'Source', { env: { account: '111122223333', region: 'eu-west-1' } });
const targetsIn = (stack: Stack, props: Partial<AccountLinkTargetsProps> = {}) => new AccountLinkTargets(stack, 'Targets', {
  organizationalUnitIds: [OU], ...props,
});

/** Each metric method, the metric it names and its statistic. */
const METRICS: [string, (t: AccountLinkTargets) => cloudwatch.Metric, string, string][] = [
  ['metricTargetCount', (t) => t.metricTargetCount(), TargetsMetric.TARGET_COUNT, 'Maximum'],
  ['metricLinkedCount', (t) => t.metricLinkedCount(), TargetsMetric.LINKED_COUNT, 'Maximum'],
  ['metricPendingCount', (t) => t.metricPendingCount(), TargetsMetric.PENDING_COUNT, 'Maximum'],
  ['metricNotLinkedCount', (t) => t.metricNotLinkedCount(), TargetsMetric.NOT_LINKED_COUNT, 'Maximum'],
  ['metricInvited', (t) => t.metricInvited(), TargetsMetric.INVITED, 'Sum'],
  ['metricReleased', (t) => t.metricReleased(), TargetsMetric.RELEASED, 'Sum'],
  ['metricThrottled', (t) => t.metricThrottled(), TargetsMetric.THROTTLED, 'Sum'],
];

describe('the resource\'s metrics', () => {
  test.each(METRICS)('%s: its metric in the namespace, by the resource\'s MetricResource, with its statistic, over reconcileEvery', (_method, metricOf, name, statistic) => {
    const stack = stackIn();
    const targets = targetsIn(stack, { reconcileEvery: Duration.minutes(30) });
    const metric = metricOf(targets);

    expect(metric.namespace).toBe(METRIC_NAMESPACE);
    expect(metric.metricName).toBe(name);
    expect(metric.statistic).toBe(statistic);
    expect(metric.period.toSeconds()).toBe(1800);
    // The dimension is the very value the resource's MetricResource property carries: what the handler writes.
    const property = Template.fromStack(stack).toJSON().Resources[idOf(stack, 'Targets/Resource')].Properties.MetricResource;
    expect(stack.resolve(metric.dimensions)).toEqual({ [METRIC_DIMENSION]: property });
    expect(property).toBe(`Source/${idOf(stack, 'Targets/Resource')}`);
  });

  test('without reconcileEvery: an hour', () => {
    const targets = targetsIn(stackIn());
    for (const [, metricOf] of METRICS) expect(metricOf(targets).period.toSeconds()).toBe(3600);
  });

  test('metric(name) takes any name, with the statistic of the named ones; options override the defaults', () => {
    const stack = stackIn();
    const targets = targetsIn(stack, { reconcileEvery: Duration.minutes(15) });
    expect(targets.metric(TargetsMetric.INVITED).statistic).toBe('Sum');
    expect(targets.metric(TargetsMetric.PENDING_COUNT).statistic).toBe('Maximum');
    // A name the contract does not list: CloudWatch's default statistic.
    expect(targets.metric('SomethingElse').statistic).toBe('Average');

    const daily = targets.metricLinkedCount({ period: Duration.days(1), statistic: 'Minimum', label: 'Linked' });
    expect([daily.period.toSeconds(), daily.statistic, daily.label]).toEqual([86400, 'Minimum', 'Linked']);
    expect(stack.resolve(daily.dimensions)).toEqual(stack.resolve(targets.metricLinkedCount().dimensions));
  });

  test('two resources: two dimensions', () => {
    const stack = stackIn();
    const a = new AccountLinkTargets(stack, 'A', { organizationalUnitIds: [OU] });
    const b = new AccountLinkTargets(stack, 'B', { organizationalUnitIds: [OU] });
    expect(stack.resolve(a.metricNotLinkedCount().dimensions)).not.toEqual(stack.resolve(b.metricNotLinkedCount().dimensions));
  });
});

describe('alarmWhenNotLinked', () => {
  test('NotLinkedCount above 0 in 2 of 2 periods of reconcileEvery, periods without data ignored', () => {
    const stack = stackIn();
    const targets = targetsIn(stack, { reconcileEvery: Duration.hours(2) });
    targets.alarmWhenNotLinked();
    const template = Template.fromStack(stack);
    const resource = idOf(stack, 'Targets/Resource');

    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRIC_NAMESPACE,
      MetricName: 'NotLinkedCount',
      Dimensions: [{ Name: METRIC_DIMENSION, Value: `Source/${resource}` }],
      Statistic: 'Maximum',
      Period: 7200,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'ignore',
      AlarmDescription: `Some target of the WorkSpaces AccountLinkTargets Source/${resource} has not been linked for 2 reconcile runs in a row`,
      AlarmActions: Match.absent(),
    });
  });

  test('its options, and an SNS topic wired in one line', () => {
    const stack = stackIn();
    const topic = new sns.Topic(stack, 'Alerts');
    const targets = targetsIn(stack, { reconcileEvery: Duration.minutes(15) });
    targets.alarmWhenNotLinked({ alarmName: 'byol-not-linked', alarmDescription: 'BYOL targets not linked', actionsEnabled: false })
      .addAlarmAction(new cloudwatchActions.SnsAction(topic));
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'byol-not-linked',
      AlarmDescription: 'BYOL targets not linked',
      ActionsEnabled: false,
      AlarmActions: [{ Ref: idOf(stack, 'Alerts') }],
      Period: 900,
    });
  });

  test('without reconcileEvery: a synth error that says why', () => {
    const targets = targetsIn(stackIn());
    expect(() => targets.alarmWhenNotLinked()).toThrow('AccountLinkTargets Source/Targets: alarmWhenNotLinked needs reconcileEvery (15 minutes to a day): '
      + 'the alarm counts runs, and without a schedule the resource runs only at deployments');
  });

  test('one alarm per resource: a second call is a synth error', () => {
    const targets = targetsIn(stackIn(), { reconcileEvery: Duration.minutes(30) });
    targets.alarmWhenNotLinked();
    expect(() => targets.alarmWhenNotLinked()).toThrow(/alarmWhenNotLinked makes one alarm: call it once and keep the alarm it returns/);
  });

  test.each([RECONCILE_MINUTES.min, 59, 60, RECONCILE_MINUTES.max])('every %d minutes: within CloudWatch\'s limits on an alarm\'s period and range', (minutes) => {
    const stack = stackIn();
    targetsIn(stack, { reconcileEvery: Duration.minutes(minutes) }).alarmWhenNotLinked();
    const [alarm] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')) as any[];
    const { Period: period, EvaluationPeriods: periods } = alarm.Properties;
    // PutMetricAlarm: a period of 10, 20, 30 or a multiple of 60 seconds; period × evaluation periods at most 7 days, and
    // at most a day for a period under an hour.
    expect(period % 60).toBe(0);
    expect(period * periods).toBeLessThanOrEqual(period < 3600 ? 86400 : 7 * 86400);
    expect(period).toBe(minutes * 60);
  });
});
