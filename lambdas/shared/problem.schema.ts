import * as z from 'zod';

/** RFC 9457 problem details, as every error answer of this API carries them. */
export const problemDocument = z
  .object({
    type: z.string().describe('URI reference naming the problem type, e.g. /problems/validation-failed.'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional().describe('The correlation id of the failed request.'),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('For validation problems: which fields failed and why; never the values sent.'),
    purpose: z.string().optional().describe('For consent-required problems: the purpose that needs consent.'),
    reason: z.string().optional().describe('For consent-required problems: not-granted, needs-reconsent, expired, objected or restricted.'),
  })
  .meta({ id: 'Problem' });

export type ProblemDocument = z.infer<typeof problemDocument>;
