import { adminRequestRoute } from './admin-request-route';
import { rejectBody } from './rights.schema';

export const rejectRequestRoute = adminRequestRoute('rejectRequest', 'reject', 'reject-request', {
  summary: 'Reject a request with a reason the subject sees.',
  description:
    'Refuses a request (Art. 12(4)) with a reason the subject sees. The reason is free text, so erasure of the subject removes it from the kept record.',
}, { body: rejectBody });
