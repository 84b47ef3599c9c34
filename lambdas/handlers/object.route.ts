import { objectionRoute } from './objection-route';

export const objectRoute = objectionRoute({
  id: 'object',
  method: 'POST',
  handler: 'object',
  summary: 'Object (Art. 21) to processing for a legitimate-interest purpose; it stops from the next request.',
  description:
    'Objection (Art. 21) to a purpose based on legitimate interest, recorded in the consent ledger: the ' +
    'consent gate refuses or drops processing for it from the next request.',
});
