import * as z from 'zod';
import { PURPOSE_IDS } from '../purposes';

export const purposeId = z.enum(PURPOSE_IDS);

export const purposeParams = z.strictObject({ purpose: purposeId });

const purposeConsent = z
  .object({
    purpose: purposeId,
    lawfulBasis: z.string(),
    required: z.boolean(),
    active: z.boolean().describe('Whether processing for this purpose may happen now.'),
    status: z.enum(['granted', 'not-granted', 'withdrawn', 'needs-reconsent', 'expired', 'objected', 'restricted', 'not-applicable']),
    decidedAt: z.iso.datetime().optional(),
    method: z.string().optional(),
    grantedPolicyVersion: z.string().optional(),
    currentPolicyVersion: z.string(),
    validUntil: z.iso.datetime().optional(),
  })
  .meta({ id: 'PurposeConsent' });

export const consentOverview = z
  .object({
    purposes: z.array(purposeConsent),
    restriction: z.object({ restricted: z.boolean(), since: z.iso.datetime().optional() }),
  })
  .meta({ id: 'ConsentOverview' });

export const signupConsents = z
  .strictObject(Object.fromEntries(PURPOSE_IDS.map((id) => [id, z.boolean().optional()])) as Record<(typeof PURPOSE_IDS)[number], z.ZodOptional<z.ZodBoolean>>)
  .describe('Consents ticked on the sign-up form: purpose id → true. Nothing is pre-ticked: an absent purpose is not granted.');
