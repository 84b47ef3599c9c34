import { adminRequestRoute } from './admin-request-route';
import { completeBody } from './rights.schema';

export const completeRequestRoute = adminRequestRoute('completeRequest', 'complete', 'complete-request', {
  summary: 'Complete a request handled by hand, with a note the subject sees and evidence of what was done where.',
  description:
    'Completes a request handled by hand, typically a rectification, with a note the subject sees and the evidence ' +
    '(required): one entry per system, with what was done there. Erasure of the subject replaces the note and the ' +
    'evidence\'s free text in the kept record; the systems and actions stay as proof. An erasure or export awaiting its ' +
    'recipients can be completed without them only once every recipient still owing an answer is past its deadline ' +
    '(`answerBy`; 409 recipients-not-overdue before): the note says why.',
}, { body: completeBody, tellsRecipients: true, reauthentication: true });
