import { z } from 'zod';

export const healthResponse = z
  .object({
    status: z.literal('ok'),
    service: z.string(),
    stage: z.string(),
    time: z.iso.datetime(),
  })
  .meta({ id: 'Health' });
