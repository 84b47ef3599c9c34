import * as z from 'zod/mini';
import { PROFILE_FIELDS } from '../domain/accounts';
import { REVEAL_PURPOSES } from '../domain/subject-view';
import { lazySchema } from '../http/route-definition';
import { consentOverview } from './consent.schema';
import { requestView } from './rights.schema';

export const subjectOverview = lazySchema(() =>
  z
    .object({
      subjectId: z.uuid(),
      lastActiveAt: z.iso.datetime().check(z.describe('The last login (or registration): where the inactivity period starts.')),
      inactivityNotice: z.optional(z.object({ noticeAt: z.iso.datetime(), erasureAt: z.optional(z.iso.datetime()) })),
      legalHold: z
        .optional(z.object({ reason: z.string(), at: z.iso.datetime() }))
        .check(z.describe('Present while a hold stands: the retention job neither notifies nor erases the account.')),
      consents: consentOverview(),
      objections: z
        .array(z.string())
        .check(z.describe('Purposes the subject objects to (Art. 21), also while a restriction shows them as `restricted`.')),
      requests: z.array(requestView()).check(z.describe('The subject\'s rights requests, newest first.')),
      maskedProfileFields: z
        .array(z.enum(PROFILE_FIELDS as [string, ...string[]]))
        .check(z.describe('The profile\'s fields, shown masked: reveal one with POST …/reveal.')),
    })
    .register(z.globalRegistry, { id: 'SubjectOverview' }),
);

export const revealBody = z
  .strictObject({
    field: z.enum(PROFILE_FIELDS as [string, ...string[]]),
    purpose: z
      .enum(REVEAL_PURPOSES)
      .check(
        z.describe(
          'Why the value is needed, from the purpose catalogue: `account` (checking who asks before acting), `transparency` ' +
            '(answering the subject\'s own request), `accountability` (a legal claim, a supervisory authority). Recorded on the trail.',
        ),
      ),
  })
  .register(z.globalRegistry, { id: 'RevealFieldRequest' });

export const revealedField = lazySchema(() =>
  z
    .object({
      subjectId: z.uuid(),
      field: z.string(),
      purpose: z.enum(REVEAL_PURPOSES),
      value: z
        .union([z.null(), z.string(), z.record(z.string(), z.string())])
        .check(z.describe('The value (a postal address is an object); null when the field is empty.')),
    })
    .register(z.globalRegistry, { id: 'RevealedField' }),
);

export const chainReport = lazySchema(() =>
  z
    .object({
      chainId: z.string(),
      subjectPseudonym: z.string(),
      checked: z.int().check(z.describe('Entries checked.')),
      firstSeq: z.optional(z.int()).check(z.describe('Above 1 when older entries have expired by retention.')),
      lastSeq: z.optional(z.int()),
      ok: z.boolean(),
      firstBreak: z.optional(
        z.object({
          seq: z.int(),
          reason: z.enum(['content-changed', 'link-broken', 'missing-entry', 'out-of-order', 'head-mismatch']),
          detail: z.string(),
        }),
      ),
    })
    .register(z.globalRegistry, { id: 'ChainReport' }),
);
