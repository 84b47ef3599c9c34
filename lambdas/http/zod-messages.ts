/**
 * zod/mini comes without messages ("Invalid input" for every issue) so that what no code shows is not bundled. Validation
 * problems quote zod's messages to the client (`toFieldErrors`), so the English ones are configured here, once: the
 * declaration module every route and worker imports (`route-definition.ts`) imports this one. About 5 KiB, not 50 locales.
 */
import * as z from 'zod/mini';
import { en } from 'zod/v4/locales';

z.config(en());
