import { fileRequest } from '../domain/rights-requests';
import { requestView } from '../domain/rights';
import { createRequestRoute } from './create-request.route';
import { crashPoint } from '../runtime/test-hooks';
import { logger } from '../runtime/logger';
import { httpRoute } from '../http/http';
import { accountsContext } from '../wiring/accounts';
import { rightsContext } from '../wiring/rights';

const rights = rightsContext(createRequestRoute);
const accounts = accountsContext(createRequestRoute);

/** A subject files a request (domain/rights-requests.ts): 202 with the request, and the receipt token for an erasure. */
export const handler = httpRoute(createRequestRoute, async ({ principal, body, audit }) => {
  const { request, receiptToken, notQueued } = await fileRequest(
    {
      ...rights(audit),
      passwordHashOf: async (subjectId) => (await accounts(audit).accounts.get(subjectId))?.passwordHash,
      committed: () => crashPoint('request-committed'),
    },
    principal,
    body,
  );
  if (notQueued) logger.error('request not queued', { errorClass: notQueued, requestType: request.type });
  return { status: 202, body: { ...requestView(request), ...(receiptToken ? { receiptToken } : {}) } };
});
