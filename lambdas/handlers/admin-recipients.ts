import { recipientsOverview } from '../domain/recipient-acks';
import { adminRecipientsRoute } from './admin-recipients.route';
import { httpRoute } from '../http/http';
import { rightsRequests } from '../wiring/rights';

const requests = rightsRequests(adminRecipientsRoute);

export const handler = httpRoute(adminRecipientsRoute, async ({ audit }) => {
  const awaiting = await requests(audit).awaitingRecipientDeadlines();
  return { body: { recipients: recipientsOverview(awaiting, new Date().toISOString().slice(0, 10)) } };
});
