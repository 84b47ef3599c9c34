import { adminRequestRoute } from './admin-request-route';
import { completeBody } from './rights.schema';

export const completeRequestRoute = adminRequestRoute('completeRequest', 'complete', 'complete-request', {
  summary: 'Complete a request handled by hand, with a note the subject sees.',
  description:
    'Completes a request handled by hand, typically a rectification, with a note the subject sees. Erasure of the subject removes the note from the kept record. ' +
    'An erasure or export awaiting its recipients can be completed without them only once every recipient still owing an answer is past its deadline ' +
    '(`answerBy`; 409 recipients-not-overdue before): the note says why.',
}, completeBody, false, true);
