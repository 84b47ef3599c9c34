import { RECEIPT_TOKEN_HEADER, REQUEST_FIELDS, commonProblems, defineRoute, problem, touches } from '../http/route-definition';
import { erasureReceipt, requestIdParams } from './rights.schema';

export const erasureReceiptRoute = defineRoute({
  id: 'erasureReceipt',
  method: 'GET',
  path: '/v1/erasure-receipts/{requestId}',
  handler: 'erasure-receipt',
  summary: 'The certificate of an erasure, for the holder of its receipt token (X-Receipt-Token). Holds no personal data.',
  description: 
    'Proof of erasure (Arts. 17, 19 and 5(2)): the step taken in each store, the verification that nothing is ' +
    'left, when backups age out, and per recipient told what it answered, when and with which counts. Readable once ' +
    'this backend\'s stores are done, while recipients may still be answering (`status`). The account is gone, so the ' +
    'receipt token given with the request (`X-Receipt-Token`) stands in for a session.',
  tags: ['rights'],
  feature: 'rights',
  auth: 'public',
  headers: [RECEIPT_TOKEN_HEADER],
  request: { params: requestIdParams },
  responses: { 200: { description: 'The receipt.', schema: erasureReceipt }, 404: problem('No receipt for this id and token.'), ...commonProblems },
  // The request is read whole (GetItem) though only the receipt is answered; the subject id is a pseudonym by then.
  personalData: [touches('rightsRequests', ['read'], [...REQUEST_FIELDS])],
  purpose: 'transparency',
});
