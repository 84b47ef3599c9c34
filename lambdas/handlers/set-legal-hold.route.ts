import * as z from 'zod/mini';
import { authProblems, commonProblems, defineRoute, problem, RETENTION_STOP_DATA } from '../http/route-definition';
import { legalHoldState, subjectIdParams } from './retention.schema';

export const legalHoldBody = z
  .strictObject({
    reason: z
      .string()
      .check(
        z.trim(),
        z.minLength(3),
        z.maxLength(500),
        z.describe('Why the account must be kept (a case or order reference). Never logged or audited; erased with the account.'),
      ),
  })
  .register(z.globalRegistry, { id: 'LegalHoldRequest' });

export const setLegalHoldRoute = defineRoute({
  id: 'setLegalHold',
  method: 'PUT',
  path: '/v1/admin/subjects/{subjectId}/legal-hold',
  handler: 'set-legal-hold',
  summary:
    'Place a legal hold on an account, with a reason: the retention job neither notifies nor erases it, and a retention ' +
    'erasure filed but not yet started is rejected. Audited.',
  description: 
    'Exception to storage limitation for legal claims (Art. 17(3)(e)): while the hold stands the ' +
    'retention job neither notifies nor erases the account. The reason is stored on the account only, ' +
    'never logged or audited, and is deleted with it.',
  tags: ['retention', 'admin'],
  feature: 'rights',
  auth: 'admin',
  request: { params: subjectIdParams, body: legalHoldBody },
  responses: {
    200: { description: 'The hold, and what became of a pending retention erasure.', schema: legalHoldState },
    404: problem('No account with this subject id.'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: RETENTION_STOP_DATA,
  purpose: 'accountability',
});
