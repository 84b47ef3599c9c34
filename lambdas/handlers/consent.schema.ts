import * as z from 'zod/mini';
import { cursorParam } from '../http/cursor';
import { lazySchema } from '../http/route-definition';
import { PURPOSE_IDS } from '../purposes';

export const purposeId = z.enum(PURPOSE_IDS);

export const purposeParams = z.strictObject({ purpose: purposeId });

const purposeConsent = lazySchema(() =>
  z
    .object({
      purpose: purposeId,
      lawfulBasis: z.string(),
      required: z.boolean(),
      active: z.boolean().check(z.describe('Whether processing for this purpose may happen now.')),
      status: z.enum(['granted', 'not-granted', 'withdrawn', 'needs-reconsent', 'expired', 'objected', 'restricted', 'not-applicable']),
      decidedAt: z.optional(z.iso.datetime()),
      method: z.optional(z.string()),
      grantedPolicyVersion: z.optional(z.string()),
      currentPolicyVersion: z.string(),
      validUntil: z.optional(z.iso.datetime()),
    })
    .register(z.globalRegistry, { id: 'PurposeConsent' }),
);

export const consentOverview = lazySchema(() =>
  z
    .object({
      purposes: z.array(purposeConsent()),
      restriction: z.object({ restricted: z.boolean(), since: z.optional(z.iso.datetime()) }),
    })
    .register(z.globalRegistry, { id: 'ConsentOverview' }),
);

export const signupConsents = z
  .strictObject(
    Object.fromEntries(PURPOSE_IDS.map((id) => [id, z.optional(z.boolean())])) as Record<
      (typeof PURPOSE_IDS)[number],
      z.ZodMiniOptional<z.ZodMiniBoolean>
    >,
  )
  .check(z.describe('Consents ticked on the sign-up form: purpose id → true. Nothing is pre-ticked: an absent purpose is not granted.'));

export const historyQuery = z.strictObject({
  limit: z.optional(z.string().check(z.regex(/^([1-9]|[1-9][0-9]|100)$/, 'A whole number from 1 to 100'))),
  cursor: z.optional(cursorParam),
});

/** Where the next page of the consent history starts: the sort key of the last event read (the subject is the caller). */
export const historyPosition = z.strictObject({ sk: z.string().check(z.regex(/^event#[0-9T:.Z-]+#[a-z-]+#\d{8}$/)) });

export const consentEvent = lazySchema(() =>
  z
    .object({
      eventId: z.uuid(),
      topic: z.string().check(z.describe('A purpose id, or `restriction`.')),
      action: z.enum(['grant', 'withdraw', 'object', 'withdraw-objection', 'restrict', 'lift-restriction']),
      seq: z.int(),
      policyVersion: z.optional(z.string()),
      policyHash: z.optional(z.string()),
      method: z.enum(['signup', 'settings', 'api', 'admin-on-behalf']),
      at: z.iso.datetime(),
      clientId: z.string(),
      validUntil: z.optional(z.iso.datetime()),
    })
    .register(z.globalRegistry, { id: 'ConsentEvent' }),
);

export const consentHistory = lazySchema(() =>
  z
    .object({ events: z.array(consentEvent()), next: z.optional(z.string()) })
    .register(z.globalRegistry, { id: 'ConsentHistory' }),
);
