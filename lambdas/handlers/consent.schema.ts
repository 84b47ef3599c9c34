import * as z from 'zod/mini';
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
