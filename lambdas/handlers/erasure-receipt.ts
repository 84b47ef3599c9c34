import { createHash, timingSafeEqual } from 'node:crypto';
import { RequestNotFoundError } from '../domain/rights';
import { recipientViews } from '../domain/recipient-acks';
import { erasureReceiptRoute } from './erasure-receipt.route';
import { httpRoute } from '../http/http';
import { rightsContext } from '../wiring/rights';

const rights = rightsContext(erasureReceiptRoute);

/** Public: the erased subject has no account left. The receipt token proves they asked; the receipt holds no personal data. */
export const handler = httpRoute(erasureReceiptRoute, async ({ params, headers, audit }) => {
  const token = headers['x-receipt-token'];
  const request = await rights(audit).requests.get(params.requestId);
  const given = createHash('sha256').update(token).digest();
  const expected = request?.receiptTokenHash ? Buffer.from(request.receiptTokenHash, 'hex') : undefined;
  if (!request?.receipt || !expected || expected.length !== given.length || !timingSafeEqual(given, expected)) {
    throw new RequestNotFoundError();
  }
  // The certificate: this backend's stores as the worker left them, and each recipient's answer as it stands now.
  const recipients = recipientViews(request.recipients, new Date().toISOString().slice(0, 10), { withReason: false });
  return { body: { ...request.receipt, status: request.status === 'completed' ? 'completed' : 'awaiting_recipients', recipients } };
});
