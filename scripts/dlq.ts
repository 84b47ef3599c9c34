/**
 * Kept for existing callers: `npm run dlq` and this file are aliases of `fmn dlq` (cli/commands/dlq.ts), with JSON Lines
 * output as before.
 *
 *   npm run dlq -- [--local] list | redrive [--max N]
 */
import { runFmn } from '../cli/fmn';

void runFmn(['dlq', '--json', ...process.argv.slice(2)]).then((code) => process.exit(code));
