import * as z from 'zod';

export const subjectIdParams = z.strictObject({ subjectId: z.uuid() });

export const legalHoldState = z
  .object({
    subjectId: z.uuid(),
    legalHold: z.object({ reason: z.string(), at: z.iso.datetime() }).optional().describe('Absent once lifted.'),
    retentionErasure: z
      .enum(['none', 'cancelled', 'started'])
      .describe(
        'Placing a hold: `cancelled` when a retention erasure was filed but not yet started (it is rejected), `started` when ' +
          'it is already running and can no longer be stopped, `none` otherwise. Always `none` when lifting.',
      ),
  })
  .meta({ id: 'LegalHoldState' });
