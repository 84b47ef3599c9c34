import { createHash, randomBytes } from 'node:crypto';
import { verifyPassword } from '../domain/passwords';
import { dueDateFor } from '../domain/deadlines';
import { DuplicateRequestError, NEEDS_REVERIFICATION, OPEN_STATUSES, ReverificationRequiredError, newRequest } from '../domain/rights';
import { createRequestRoute } from './create-request.route';
import { accountsContext } from '../shared/accounts-context';
import { crashPoint } from '../shared/faults';
import { logger } from '../shared/logger';
import { requestView, rightsContext } from '../shared/rights-context';
import { httpRoute } from '../shared/http';

const rights = rightsContext(createRequestRoute);
const accounts = accountsContext(createRequestRoute);

export const handler = httpRoute(createRequestRoute, async ({ principal, body, audit }) => {
  const deps = rights(audit);
  const now = deps.now();
  if (NEEDS_REVERIFICATION.has(body.type)) {
    const fresh = principal.authTime !== undefined && now.getTime() / 1000 - principal.authTime <= deps.reverifyMinutes * 60;
    if (!fresh) {
      const user = body.password ? await accounts(audit).accounts.get(principal.subjectId) : undefined;
      if (!user?.passwordHash || !(await verifyPassword(body.password!, user.passwordHash))) {
        throw new ReverificationRequiredError(deps.reverifyMinutes);
      }
    }
  }
  const open = (await deps.requests.listForSubject(principal.subjectId)).filter(
    (r) => r.type === body.type && OPEN_STATUSES.includes(r.status),
  );
  if (open.length > 0) throw new DuplicateRequestError();

  // After erasure the subject has no session: a receipt token, shown once, lets them read the receipt.
  const receiptToken = body.type === 'erasure' ? randomBytes(32).toString('base64url') : undefined;
  const mode = deps.modes[body.type];
  let request = newRequest({
    subjectId: principal.subjectId,
    type: body.type,
    mode,
    now,
    dueAt: dueDateFor(now),
    fields: body.fields,
    receiptTokenHash: receiptToken ? createHash('sha256').update(receiptToken).digest('hex') : undefined,
  });
  // Recorded as queued before the job is sent, so the worker never sees a request that is still moving. A crash between the
  // two leaves it queued with no message: the resendLostJobs schedule sends its job again (lambdas/schedules.ts).
  await deps.requests.create(request);
  crashPoint('request-committed');
  if (mode === 'automatic') {
    try {
      await deps.enqueue(request);
    } catch (error) {
      // Recorded and verified, but not queued: an admin queues it again (approve). The subject still gets their 202.
      logger.error('request not queued', { errorClass: (error as Error).name, requestType: request.type });
      request = await deps.requests.transition(request, 'verified', { by: 'system', note: 'Could not be queued; an administrator will.' }, deps.now());
    }
  }
  return { status: 202, body: { ...requestView(request), ...(receiptToken ? { receiptToken } : {}) } };
});
