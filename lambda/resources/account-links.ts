import { listAccountLinks } from '../../core/account-link-api';
import { linksData } from '../attributes';
import { apiContext, deleteNothing, ResourceHandler } from '../resource-handler';
import { accountLinksPhysicalId, parseAccountLinksProperties } from '../resource-properties';

/** `Custom::WorkSpacesAccountLinks`: lists the links (ListAccountLinks, every page), optionally by status. */
export const accountLinksHandler: ResourceHandler = {
  async createOrUpdate(event, context) {
    const query = parseAccountLinksProperties(event.ResourceProperties);
    const links = await listAccountLinks(query.statusFilter, apiContext(query.access, context));
    return {
      status: 'SUCCESS',
      physicalResourceId: accountLinksPhysicalId(query),
      data: linksData(links),
      dataDescription: `${links.length} account links`,
    };
  },
  delete: deleteNothing,
};
