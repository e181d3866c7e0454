import { getAccountLink } from '../../core/account-link-api';
import { startWait, waitForStatus } from '../../core/wait-for-status';
import { linkData } from '../attributes';
import { apiContext, deleteNothing, failed, ResourceHandler } from '../resource-handler';
import { accountLinkPhysicalId, parseAccountLinkProperties } from '../resource-properties';

/**
 * `Custom::WorkSpacesAccountLink`: reads one link (GetAccountLink) and, with a gate, waits
 * for its required status. The physical id is derived from the lookup: an Update that
 * looks up another link answers a new id, which CloudFormation takes for a replacement;
 * the Delete of the old id that follows removes nothing.
 */
export const accountLinkHandler: ResourceHandler = {
  async createOrUpdate(event, context) {
    const { lookup, gate, access } = parseAccountLinkProperties(event.ResourceProperties);
    const api = apiContext(access, context);
    const physicalResourceId = accountLinkPhysicalId(lookup);
    if (!gate) {
      return { status: 'SUCCESS', physicalResourceId, data: linkData(await getAccountLink(lookup, api)) };
    }
    const result = await waitForStatus(lookup, gate, context.handedOver ?? startWait(gate, context.requestTime), context.window, api);
    switch (result.kind) {
      case 'passed':
        return { status: 'SUCCESS', physicalResourceId, data: linkData(result.link), wait: result.state };
      case 'failed':
        return failed(event, context, result.reason, result.state);
      case 'handover':
        return { status: 'HANDED_OVER', wait: result.state };
    }
  },
  delete: deleteNothing,
};
