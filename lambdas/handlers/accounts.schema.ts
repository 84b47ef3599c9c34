import * as z from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../domain/passwords';

export const email = z.email().max(254);
export const password = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);
export const text = (max: number) => z.string().trim().min(1).max(max);
export const locale = z.string().regex(/^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$/, 'Use a BCP 47 tag such as en or pt-BR');
// E.164: a plus, then up to 15 digits.
export const phone = z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'Use E.164 format, e.g. +4915112345678');

export const postalAddress = z
  .strictObject({
    street: text(200),
    postalCode: text(20),
    city: text(100),
    country: z.string().regex(/^[A-Z]{2}$/, 'Use an ISO 3166-1 alpha-2 code'),
  })
  .meta({ id: 'PostalAddress' });

const fieldSource = z.string().describe('`user`, or `provider:<name>` for a value that came from an identity provider.');

export const profile = z
  .object({
    email: z.string(),
    displayName: z.string(),
    givenName: z.string().optional(),
    familyName: z.string().optional(),
    locale: z.string().optional(),
    phone: z.string().optional(),
    postalAddress: postalAddress.optional(),
  })
  .meta({ id: 'Profile' });

export const account = z
  .object({
    subjectId: z.uuid(),
    profile,
    sources: z.record(z.string(), fieldSource).describe('Where each field came from.'),
    roles: z.array(z.string()),
    hasPassword: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    inactivityNotice: z
      .object({ noticeAt: z.iso.datetime(), erasureAt: z.iso.datetime().optional() })
      .optional()
      .describe('Present when the account is due for erasure for inactivity; logging in again keeps it.'),
  })
  .meta({ id: 'Account' });

export const issuedSession = z
  .object({
    token: z.string().describe('Bearer token; shown once, stored only as a hash.'),
    expiresAt: z.iso.datetime(),
    idleExpiresAt: z.iso.datetime(),
  })
  .meta({ id: 'IssuedSession' });

export const loginResponse = z.object({ subjectId: z.uuid(), session: issuedSession }).meta({ id: 'Login' });
