/** Where and as whom the handler calls WorkSpaces. */
export interface AccountLinkAccessOptions {
  /**
   * A role in another account that the handler assumes before calling WorkSpaces. Its
   * trust policy must let the stack's handler role assume it. The handler role may assume
   * exactly this role.
   *
   * @default - the handler's own role, in the stack's account
   */
  readonly assumeRoleArn?: string;

  /**
   * The external id the role's trust policy requires.
   *
   * @default - none
   */
  readonly externalId?: string;

  /**
   * The WorkSpaces Region to call.
   *
   * @default - the stack's Region
   */
  readonly region?: string;
}
