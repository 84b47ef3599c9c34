/**
 * What the privacy console shows an administrator about one subject, and the one way it shows a profile value. The view
 * holds states, dates and names, never a profile value: values stay masked until an administrator reveals one field for a
 * stated purpose, and each reveal is an entry on the subject's audit trail (the field's name and the purpose, not the value).
 */
import { PROFILE_FIELDS, readAccount, type AccountsDeps, type ProfileField } from './accounts';
import type { AuditNote } from './audit';
import { consentView, type ConsentStore } from './consent';
import { SubjectNotFoundError, type AccountRetention } from './retention';
import { requestView, type RightsRequest } from './rights';
import type { PurposeId } from '../purposes';

export interface SubjectViewDeps {
  readonly retention: { get(subjectId: string): Promise<AccountRetention | undefined> };
  readonly consents: Pick<ConsentStore, 'states'>;
  readonly requests: { listForSubject(subjectId: string): Promise<RightsRequest[]> };
  readonly now: () => Date;
}

/**
 * The subject at a glance: 1. the account's retention state (SubjectNotFoundError if there is no account): last activity,
 * an inactivity notice, a legal hold; 2. consent per purpose with policy versions, objections and the restriction;
 * 3. their standing objections; 4. their requests, newest first; 5. the profile's field names, each masked.
 */
export async function subjectOverview(deps: SubjectViewDeps, subjectId: string) {
  const account = await deps.retention.get(subjectId);
  if (!account) throw new SubjectNotFoundError();
  const [states, requests] = await Promise.all([deps.consents.states(subjectId), deps.requests.listForSubject(subjectId)]);
  return {
    subjectId,
    lastActiveAt: account.lastActiveAt,
    ...(account.inactivityNoticeAt
      ? { inactivityNotice: { noticeAt: account.inactivityNoticeAt, ...(account.inactivityErasureAt ? { erasureAt: account.inactivityErasureAt } : {}) } }
      : {}),
    ...(account.legalHold ? { legalHold: account.legalHold } : {}),
    consents: consentView(states, deps.now()),
    // Standing objections (Art. 21), also while a restriction hides them behind the status `restricted`.
    objections: [...states.values()].filter((s) => s.lastAction === 'object').map((s) => s.topic).sort(),
    requests: requests.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt)).map((r) => requestView(r, { admin: true })),
    maskedProfileFields: [...PROFILE_FIELDS],
  };
}

/**
 * The purposes an administrator may state for revealing a value: running the account (checking who is asking before
 * acting on a request), answering the subject's own request (Art. 15), and accountability (a legal claim, a supervisory
 * authority's inquiry). Ids from the purpose catalogue, never free text, so the audit entry can hold no personal data.
 */
export const REVEAL_PURPOSES = ['account', 'transparency', 'accountability'] as const satisfies readonly PurposeId[];
export type RevealPurpose = (typeof REVEAL_PURPOSES)[number];

export interface RevealDeps extends Pick<AccountsDeps, 'accounts' | 'keyring'> {
  /** Writes one audit entry now (before the value leaves), failing the reveal if it cannot. */
  readonly record: (note: AuditNote) => Promise<void>;
}

/**
 * Reveal one profile field: 1. read and unseal the profile (SubjectNotFoundError without an account; ProfileUnavailableError
 * once erased); 2. record a read of that one field with the stated purpose; 3. answer the value (null when the field is
 * empty). The stores are used without the request's trail so that the reveal is one entry, with its own purpose.
 */
export async function revealProfileField(deps: RevealDeps, subjectId: string, field: ProfileField, purpose: RevealPurpose) {
  if (!(await deps.accounts.get(subjectId))) throw new SubjectNotFoundError();
  const { content } = await readAccount(deps, subjectId);
  await deps.record({ action: 'read', subjectId, fields: [`users.profile.${field}`], purpose });
  return { subjectId, field, purpose, value: content.profile[field] ?? null };
}
