/**
 * Kept for existing callers: this file is an alias of `fmn audit verify` (cli/commands/audit.ts), with JSON Lines output
 * as before (one report per chain; exit 1 if any chain is broken).
 *
 *   node --import tsx scripts/audit-verify.ts [--local] [--chain ID | --subject-id UUID]
 */
import { runFmn } from '../cli/fmn';

void runFmn(['audit', 'verify', '--json', ...process.argv.slice(2)]).then((code) => process.exit(code));
