/**
 * The status of a WorkSpaces account link, as the WorkSpaces API reports it.
 *
 * Each member's value is the API's own string.
 */
export enum AccountLinkStatus {
  /** The target account accepted the invitation: the link is active. */
  LINKED = 'LINKED',
  /** The link could not be established. */
  LINKING_FAILED = 'LINKING_FAILED',
  /** The link does not exist (any more). */
  LINK_NOT_FOUND = 'LINK_NOT_FOUND',
  /** The source account invited the target account, which has not answered yet. */
  PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT = 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT',
  /** The target account rejected the invitation. */
  REJECTED = 'REJECTED',
}
