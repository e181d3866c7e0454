/**
 * Options of AccountLinkTargets' `alarmWhenNotLinked()`. Its metric, threshold, periods and
 * missing-data treatment are the method's: the alarm means "some target has not been linked
 * for two runs in a row".
 */
export interface NotLinkedAlarmOptions {
  /**
   * The alarm's name.
   *
   * @default - a name CloudFormation generates
   */
  readonly alarmName?: string;

  /**
   * The alarm's description.
   *
   * @default - names the resource and what the alarm means
   */
  readonly alarmDescription?: string;

  /**
   * Whether the alarm's actions run when it changes state.
   *
   * @default true
   */
  readonly actionsEnabled?: boolean;
}
