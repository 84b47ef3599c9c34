/**
 * Writes the console's API types (`console/src/api-schema.ts`) from docs/openapi.json with openapi-typescript, so the
 * console's calls (openapi-fetch) are checked against the API the route table declares. `npm run openapi` runs it after
 * writing the document; `--check` fails when the committed file is stale (test/unit/console.test.ts checks it too).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';

const root = join(__dirname, '..');
// FMN_CONSOLE_CLIENT_TYPES: another file to check, for the test that shows a stale file failing
export const CONSOLE_CLIENT_TYPES = process.env.FMN_CONSOLE_CLIENT_TYPES || join(root, 'console', 'src', 'api-schema.ts');

const HEADER =
  '// Generated from docs/openapi.json by scripts/generate-console-client.ts (`npm run openapi`). Do not edit.\n' +
  '/* eslint-disable */\n';

/** The types file as the current docs/openapi.json generates it. */
export async function consoleClientTypes(): Promise<string> {
  const document = JSON.parse(readFileSync(join(root, 'docs', 'openapi.json'), 'utf8')) as Parameters<typeof openapiTS>[0];
  return HEADER + astToString(await openapiTS(document, { alphabetize: false }));
}

if (require.main === module) {
  void (async () => {
    const fresh = await consoleClientTypes();
    if (process.argv.includes('--check')) {
      let committed = '';
      try {
        committed = readFileSync(CONSOLE_CLIENT_TYPES, 'utf8');
      } catch {
        // missing counts as stale
      }
      if (committed !== fresh) {
        console.error(`${CONSOLE_CLIENT_TYPES} is stale: run "npm run openapi" and commit the result.`);
        process.exit(1);
      }
      console.log('console/src/api-schema.ts is up to date.');
    } else {
      writeFileSync(CONSOLE_CLIENT_TYPES, fresh);
      console.log(`wrote ${CONSOLE_CLIENT_TYPES}`);
    }
  })();
}
