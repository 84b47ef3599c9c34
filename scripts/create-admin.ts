/**
 * Kept for existing callers: this file is an alias of `fmn admin create` (cli/commands/admin.ts), printing the new admin
 * as one JSON line as before. The password is read from stdin.
 *
 *   printf '%s\n' "$ADMIN_PASSWORD" | node --import tsx scripts/create-admin.ts --local --email ADDRESS --display-name NAME
 */
import { runFmn } from '../cli/fmn';

void runFmn(['admin', 'create', '--json', ...process.argv.slice(2)]).then((code) => process.exit(code));
