import { z } from 'zod';
import { PURPOSE_IDS } from '../purposes';
import { cursorParam } from '../shared/cursor';

const purposeId = z.enum(PURPOSE_IDS);

export const purposeParams = z.strictObject({ purpose: purposeId });

export const purposeSummary = z
  .object({
    id: purposeId,
    title: z.string(),
    description: z.string(),
    lawfulBasis: z.enum(['consent', 'contract', 'legal-obligation', 'legitimate-interest']),
    required: z.boolean(),
    objectable: z.boolean(),
    policy: z.object({ version: z.string(), sha256: z.string(), text: z.string() }),
    consentValidDays: z.number().int().optional(),
    categories: z.array(z.string()),
    retention: z.string(),
    recipients: z.array(z.string()),
    continuesUnderRestriction: z.boolean(),
  })
  .meta({ id: 'Purpose' });

export const purposeList = z.object({ purposes: z.array(purposeSummary) }).meta({ id: 'PurposeList' });

export const consentDecisionBody = z.strictObject({ granted: z.boolean() }).meta({ id: 'ConsentDecision' });

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

export const historyQuery = z.strictObject({
  limit: z.string().regex(/^([1-9]|[1-9][0-9]|100)$/, 'A whole number from 1 to 100').optional(),
  cursor: cursorParam.optional(),
});

/** Where the next page of the consent history starts: the sort key of the last event read (the subject is the caller). */
export const historyPosition = z.strictObject({ sk: z.string().regex(/^event#[0-9T:.Z-]+#[a-z-]+#\d{8}$/) });

export const consentEvent = z
  .object({
    eventId: z.uuid(),
    topic: z.string().describe('A purpose id, or `restriction`.'),
    action: z.enum(['grant', 'withdraw', 'object', 'withdraw-objection', 'restrict', 'lift-restriction']),
    seq: z.number().int(),
    policyVersion: z.string().optional(),
    policyHash: z.string().optional(),
    method: z.enum(['signup', 'settings', 'api', 'admin-on-behalf']),
    at: z.iso.datetime(),
    clientId: z.string(),
    validUntil: z.iso.datetime().optional(),
  })
  .meta({ id: 'ConsentEvent' });

export const consentHistory = z
  .object({ events: z.array(consentEvent), next: z.string().optional() })
  .meta({ id: 'ConsentHistory' });

const token = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'Short tokens only: no free text');

export const analyticsBody = z
  .strictObject({
    events: z
      .array(
        z.strictObject({
          name: z.string().regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'Lower-case dotted names, e.g. screen.view'),
          at: z.iso.datetime(),
          properties: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,31}$/), z.union([z.number(), z.boolean(), token])).optional(),
        }),
      )
      .min(1)
      .max(25),
  })
  .refine((b) => b.events.every((e) => Object.keys(e.properties ?? {}).length <= 10), { message: 'At most 10 properties per event' })
  .meta({ id: 'AnalyticsEvents', description: 'Usage events. Stored only while the caller grants `analytics`; otherwise accepted and dropped.' });

export const newsletterBody = z.strictObject({ subscribed: z.boolean() }).meta({ id: 'NewsletterPreference' });
export const newsletterState = z.object({ subscribed: z.boolean(), at: z.iso.datetime().optional() }).meta({ id: 'Newsletter' });

export const signupConsents = z
  .strictObject(Object.fromEntries(PURPOSE_IDS.map((id) => [id, z.boolean().optional()])) as Record<(typeof PURPOSE_IDS)[number], z.ZodOptional<z.ZodBoolean>>)
  .describe('Consents ticked on the sign-up form: purpose id → true. Nothing is pre-ticked: an absent purpose is not granted.');
