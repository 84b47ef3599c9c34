import * as z from 'zod/mini';
import { lazySchema } from '../http/route-definition';

export const subjectIdParams = z.strictObject({ subjectId: z.uuid() });

export const legalHoldState = lazySchema(() =>
  z
    .object({
      subjectId: z.uuid(),
      legalHold: z.optional(z.object({ reason: z.string(), at: z.iso.datetime() })).check(z.describe('Absent once lifted.')),
      retentionErasure: z
        .enum(['none', 'cancelled', 'started'])
        .check(
          z.describe(
            'Placing a hold: `cancelled` when a retention erasure was filed but not yet started (it is rejected), `started` when ' +
              'it is already running and can no longer be stopped, `none` otherwise. Always `none` when lifting.',
          ),
        ),
    })
    .register(z.globalRegistry, { id: 'LegalHoldState' }),
);
