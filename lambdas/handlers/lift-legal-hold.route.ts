import { authProblems, commonProblems, defineRoute, problem, touches } from '../http/route-definition';
import { legalHoldState, subjectIdParams } from './retention.schema';

export const liftLegalHoldRoute = defineRoute({
  id: 'liftLegalHold',
  method: 'DELETE',
  path: '/v1/admin/subjects/{subjectId}/legal-hold',
  handler: 'lift-legal-hold',
  summary: 'Lift a legal hold: retention applies again (a fresh notice comes first if the account is inactive). Audited.',
  description: 
    'Ends the hold: inactivity counts as before, and an inactive account is notified again before any ' +
    'retention erasure.',
  tags: ['retention', 'admin'],
  feature: 'rights',
  auth: 'admin',
  request: { params: subjectIdParams },
  responses: {
    200: { description: 'The account without a hold.', schema: legalHoldState },
    404: problem('No account with this subject id.'),
    ...authProblems,
    ...commonProblems,
  },
  // One conditional update that removes the hold; nothing is read first.
  personalData: [touches('users', ['write'], ['subjectId', 'legalHold'])],
  purpose: 'accountability',
  // Lifting a hold lets retention erase the account: the officer confirms it is them first.
  reauthentication: true,
});
