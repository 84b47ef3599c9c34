import * as z from 'zod/mini';
import { lazySchema } from './route-definition';

/** RFC 9457 problem details, as every error answer of this API carries them. */
export const problemDocument = lazySchema(() =>
  z
  .object({
    type: z.string().check(z.describe('URI reference naming the problem type, e.g. /problems/validation-failed.')),
    title: z.string(),
    status: z.int(),
    detail: z.optional(z.string()),
    instance: z.optional(z.string()).check(z.describe('The correlation id of the failed request.')),
    errors: z
      .optional(z.array(z.object({ path: z.string(), message: z.string() })))
      .check(z.describe('For validation problems: which fields failed and why; never the values sent.')),
    purpose: z.optional(z.string()).check(z.describe('For consent-required problems: the purpose that needs consent.')),
    reason: z
      .optional(z.string())
      .check(z.describe('For consent-required problems: not-granted, needs-reconsent, expired, objected or restricted.')),
    uploadUrl: z
      .optional(z.string())
      .check(z.describe("For export-part-missing: a presigned URL to PUT the recipient's export part (JSON) to.")),
    uploadMethod: z.optional(z.literal('PUT')).check(z.describe('For export-part-missing: the method of uploadUrl.')),
    uploadExpiresAt: z.optional(z.iso.datetime()).check(z.describe('For export-part-missing: when uploadUrl stops working.')),
    recipients: z
      .optional(z.string())
      .check(z.describe('For recipients-not-overdue: the recipients still within their deadline, comma-separated.')),
  })
  .register(z.globalRegistry, { id: 'Problem' }),
);

export type ProblemDocument = z.infer<ReturnType<typeof problemDocument>>;
