import * as z from 'zod/mini';
import { lazySchema } from '../http/route-definition';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../domain/passwords';

export const email = lazySchema(() =>
  z.email().check(z.maxLength(254)),
);
export const password = lazySchema(() =>
  z.string().check(z.minLength(PASSWORD_MIN_LENGTH), z.maxLength(PASSWORD_MAX_LENGTH)),
);
/** An admin's second factor as typed: a 6-digit TOTP code, or a single-use recovery code (`abcde-fghij`). */
export const secondFactorCode = (description: string) =>
  z.string().check(z.regex(/^(\d{6}|[A-Za-z2-7]{5}-?[A-Za-z2-7]{5})$/), z.describe(description));
export const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
export const locale = lazySchema(() =>
  z.string().check(z.regex(/^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$/, 'Use a BCP 47 tag such as en or pt-BR')),
);
// E.164: a plus, then up to 15 digits.
export const phone = lazySchema(() =>
  z.string().check(z.regex(/^\+[1-9][0-9]{6,14}$/, 'Use E.164 format, e.g. +4915112345678')),
);

export const postalAddress = lazySchema(() =>
  z
    .strictObject({
      street: text(200),
      postalCode: text(20),
      city: text(100),
      country: z.string().check(z.regex(/^[A-Z]{2}$/, 'Use an ISO 3166-1 alpha-2 code')),
    })
    .register(z.globalRegistry, { id: 'PostalAddress' }),
);

const fieldSource = lazySchema(() =>
  z.string().check(z.describe('`user`, or `provider:<name>` for a value that came from an identity provider.')),
);

export const profile = lazySchema(() =>
  z
    .object({
      email: z.string(),
      displayName: z.string(),
      givenName: z.optional(z.string()),
      familyName: z.optional(z.string()),
      locale: z.optional(z.string()),
      phone: z.optional(z.string()),
      postalAddress: z.optional(postalAddress()),
    })
    .register(z.globalRegistry, { id: 'Profile' }),
);

export const account = lazySchema(() =>
  z
    .object({
      subjectId: z.uuid(),
      profile: profile(),
      sources: z.record(z.string(), fieldSource()).check(z.describe('Where each field came from.')),
      roles: z.array(z.string()),
      hasPassword: z.boolean(),
      createdAt: z.iso.datetime(),
      updatedAt: z.iso.datetime(),
      inactivityNotice: z
        .optional(z.object({ noticeAt: z.iso.datetime(), erasureAt: z.optional(z.iso.datetime()) }))
        .check(z.describe('Present when the account is due for erasure for inactivity; logging in again keeps it.')),
    })
    .register(z.globalRegistry, { id: 'Account' }),
);

export const issuedSession = lazySchema(() =>
  z
    .object({
      token: z.string().check(z.describe('Bearer token; shown once, stored only as a hash.')),
      expiresAt: z.iso.datetime(),
      idleExpiresAt: z.iso.datetime(),
    })
    .register(z.globalRegistry, { id: 'IssuedSession' }),
);

export const loginResponse = lazySchema(() =>
  z.object({ subjectId: z.uuid(), session: issuedSession() }).register(z.globalRegistry, { id: 'Login' }),
);
