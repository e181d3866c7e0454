/**
 * The contract between the constructs and the Lambda handler: resource types, resource
 * property names and attribute names. Both sides import this module, so a name is
 * written once. It must not import aws-cdk-lib: the handler bundle includes it.
 */

/** CloudFormation resource types of the custom resources. */
export const ResourceType = {
  ACCOUNT_LINK: 'Custom::WorkSpacesAccountLink',
  ACCOUNT_LINKS: 'Custom::WorkSpacesAccountLinks',
} as const;

/** Resource property names: the WorkSpaces API's own field names. */
export const Property = {
  LINK_ID: 'LinkId',
  LINKED_ACCOUNT_ID: 'LinkedAccountId',
  LINK_STATUS_FILTER: 'LinkStatusFilter',
} as const;

/** Attributes of `Custom::WorkSpacesAccountLink`: the API's `AccountLink` field names. */
export const LinkAttribute = {
  ACCOUNT_LINK_ID: 'AccountLinkId',
  ACCOUNT_LINK_STATUS: 'AccountLinkStatus',
  SOURCE_ACCOUNT_ID: 'SourceAccountId',
  TARGET_ACCOUNT_ID: 'TargetAccountId',
} as const;

/**
 * Attributes of `Custom::WorkSpacesAccountLinks`: comma-joined lists in the API's order,
 * aligned by index, plus the number of links.
 */
export const LinksAttribute = {
  COUNT: 'Count',
  ACCOUNT_LINK_IDS: 'AccountLinkIds',
  ACCOUNT_LINK_STATUSES: 'AccountLinkStatuses',
  SOURCE_ACCOUNT_IDS: 'SourceAccountIds',
  TARGET_ACCOUNT_IDS: 'TargetAccountIds',
} as const;

/** Separator of the list attributes (account ids, link ids and statuses never contain it). */
export const LIST_SEPARATOR = ',';

/** `LinkId` pattern from the WorkSpaces service model. */
export const LINK_ID_PATTERN = /^link-.{8,24}$/;

/** AWS account id pattern from the WorkSpaces service model. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
