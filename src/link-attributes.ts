import { CustomResource } from 'aws-cdk-lib';
import { LinkAttribute } from './contract';

/** The attributes every resource that answers with one link has, as `Fn::GetAtt` tokens. */
export function linkAttributes(resource: CustomResource) {
  return {
    accountLinkId: resource.getAttString(LinkAttribute.ACCOUNT_LINK_ID),
    accountLinkStatus: resource.getAttString(LinkAttribute.ACCOUNT_LINK_STATUS),
    sourceAccountId: resource.getAttString(LinkAttribute.SOURCE_ACCOUNT_ID),
    targetAccountId: resource.getAttString(LinkAttribute.TARGET_ACCOUNT_ID),
  };
}
