import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AccountLinkTargets } from '../../../src';
import { nagApp, nagFindings } from '../../support/nag';

/**
 * A stack in an app that runs cdk-nag's four packs (AwsSolutions, NIST 800-53 R5, HIPAA Security, PCI DSS 3.2.1; the
 * provider's option-removable findings acknowledged, as every construct test does): an AccountLinkTargets with a
 * schedule, a rule of account events, its events and its alarm, whose action goes to a topic of the app's.
 */
function findingsIn(region: string, alarmAction: boolean): string[] {
  const stack = new Stack(nagApp(), 'Links', { env: { account: '111122223333', region } });
  const targets = new AccountLinkTargets(stack, 'Targets', {
    organizationalUnitIds: ['ou-ab12-34cd56ef'],
    reconcileEvery: Duration.hours(1),
    reconcileOnAccountEvents: true,
  });
  const alarm = targets.alarmWhenNotLinked();
  if (alarmAction) {
    const topic = new sns.Topic(stack, 'Alerts', { masterKey: new kms.Key(stack, 'AlertsKey', { enableKeyRotation: true }), enforceSSL: true });
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
  }
  return nagFindings(() => (stack.node.root as any).synth()).map((f) => `${f.path} ${f.id}`).sort();
}

describe('cdk-nag\'s packs over the reconcile schedule, its role, the rule of account events, the events\' policy and the alarm', () => {
  test('no finding, with the Scheduler schedule', () => {
    expect(findingsIn('eu-west-1', true)).toEqual([]);
  });

  test('no finding, with the rule that stands in for it where the partition has no Scheduler', () => {
    expect(findingsIn('us-iso-east-1', true)).toEqual([]);
  });

  test('the alarm is the app\'s to act on: without an action, the packs say so (the library acknowledges nothing on it)', () => {
    const findings = findingsIn('eu-west-1', false);
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) expect(finding).toMatch(/^Links\/Targets\/NotLinkedAlarm\/Resource \S+-CloudWatchAlarmAction$/);
  });
});
