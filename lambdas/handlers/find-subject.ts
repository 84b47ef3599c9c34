import { findSubjectByEmail } from '../domain/accounts';
import { SubjectNotFoundError } from '../domain/retention';
import { findSubjectRoute } from './find-subject.route';
import { httpRoute } from '../http/http';
import { accountsContext } from '../wiring/accounts';

const deps = accountsContext(findSubjectRoute);

/** Email → subject id through the blind index; a match is noted on the subject's chain by the store. */
export const handler = httpRoute(findSubjectRoute, async ({ body, audit }) => {
  const subjectId = await findSubjectByEmail(deps(audit), body.email);
  if (!subjectId) {
    // A lookup that found no one is still an admin's search for a person: an entry about no one, without the email.
    audit?.noteReadOf({}, ['identities.identityKey']);
    throw new SubjectNotFoundError();
  }
  return { body: { subjectId } };
});
