import * as z from 'zod/mini';
import { commonProblems, defineRoute, lazySchema } from '../http/route-definition';
import { PURPOSE_IDS } from '../purposes';

export const purposeSummary = lazySchema(() =>
  z
    .object({
      // the consent routes' `purposeId`, built here so this data-free function loads none of their schemas
      id: z.enum(PURPOSE_IDS),
      title: z.string(),
      description: z.string(),
      lawfulBasis: z.enum(['consent', 'contract', 'legal-obligation', 'legitimate-interest']),
      required: z.boolean(),
      objectable: z.boolean(),
      policy: z.object({ version: z.string(), sha256: z.string(), text: z.string() }),
      consentValidDays: z.optional(z.int()),
      categories: z.array(z.string()),
      retention: z.string(),
      recipients: z.array(z.string()),
      continuesUnderRestriction: z.boolean(),
    })
    .register(z.globalRegistry, { id: 'Purpose' }),
);

export const purposeList = lazySchema(() =>
  z.object({ purposes: z.array(purposeSummary()) }).register(z.globalRegistry, { id: 'PurposeList' }),
);

export const purposesRoute = defineRoute({
  id: 'purposes',
  method: 'GET',
  path: '/v1/purposes',
  handler: 'purposes',
  summary: 'The processing purposes: lawful basis, policy text with its version and SHA-256, data, retention, recipients.',
  description: 
    'The information owed to data subjects (Arts. 13 and 14) per purpose: lawful basis, policy text with ' +
    'version and SHA-256, data categories, retention and recipients. Public, so it can be shown before ' +
    'sign-up.',
  tags: ['consent'],
  feature: 'consent',
  auth: 'public',
  responses: { 200: { description: 'Every purpose.', schema: purposeList }, ...commonProblems },
  personalData: [],
  // Each purpose's categories come from the generated record (purpose-categories.ts).
  bundledFiles: ['docs/ropa.json'],
});
