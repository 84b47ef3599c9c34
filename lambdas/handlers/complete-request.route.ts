import { adminRequestRoute } from './admin-request-route';
import { completeBody } from './rights.schema';

export const completeRequestRoute = adminRequestRoute('completeRequest', 'complete', 'complete-request', {
  summary: 'Complete a request handled by hand, with a note the subject sees.',
  description:
    'Completes a request handled by hand, typically a rectification, with a note the subject sees. Erasure of the subject removes the note from the kept record.',
}, { body: completeBody, tellsRecipients: true, reauthentication: true });
