import { objectionRoute } from './objection-route';

export const withdrawObjectionRoute = objectionRoute({
  id: 'withdrawObjection',
  method: 'DELETE',
  handler: 'withdraw-objection',
  summary: 'Withdraw my objection to a legitimate-interest purpose.',
  description:
    'Withdraws an objection; processing on the legitimate-interest basis may resume. Recorded in the ' +
    'consent ledger like every decision.',
});
