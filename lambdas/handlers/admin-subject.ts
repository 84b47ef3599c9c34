import { subjectOverview } from '../domain/subject-view';
import { adminSubjectRoute } from './admin-subject.route';
import { httpRoute } from '../http/http';
import { consentContext } from '../wiring/consent';
import { retentionStates, rightsRequests } from '../wiring/rights';

const consents = consentContext(adminSubjectRoute);
const retention = retentionStates(adminSubjectRoute);
const requests = rightsRequests(adminSubjectRoute);

/** The subject view (domain/subject-view.ts); the look is recorded on the subject's own chain. */
export const handler = httpRoute(adminSubjectRoute, async ({ params, audit }) => {
  const body = await subjectOverview(
    { retention: retention(audit), consents: consents(audit).consents, requests: requests(audit), now: () => new Date() },
    params.subjectId,
  );
  audit?.noteRead(params.subjectId, [
    'users.lastActiveAt',
    'users.legalHold',
    'users.inactivityNoticeAt',
    'consent.topic',
    'consent.lastAction',
    'consent.policyVersion',
    'rightsRequests.status',
    'rightsRequests.type',
  ]);
  return { body };
});
