/**
 * The domain is plain: no file in lambdas/domain/ imports anything outside the domain but `node:` modules, zod, and the
 * declarations (purposes, the inventory, the recipients, the erasure plan and the data they are built from). No AWS SDK, no HTTP layer,
 * no adapter, no wiring: those depend on the domain, never the other way round.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DOMAIN = join(__dirname, '..', '..', 'lambdas', 'domain');
/** Declarations: pure data about purposes, stores and retention, shared with the CDK app and the generators. */
const DECLARATIONS = ['../purposes', '../inventory', '../recipients', '../erasure-plan', '../purpose-summary', '../purpose-categories', '../retention-periods'];

/** Every module specifier a file imports or re-exports (static, dynamic and `require`). */
function importsOf(source: string): string[] {
  const found = new Set<string>();
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s+['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.add(match[1]);
  return [...found];
}

function allowedInDomain(specifier: string): boolean {
  return (
    specifier.startsWith('node:') ||
    specifier === 'zod' ||
    specifier === 'zod/mini' ||
    /^\.\/[\w-]+$/.test(specifier) ||
    DECLARATIONS.includes(specifier)
  );
}

const files = readdirSync(DOMAIN).filter((f) => f.endsWith('.ts'));

describe('the domain imports', () => {
  it('finds the domain modules', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files)('%s: only node:, zod, the domain and the declarations', (file) => {
    const outside = importsOf(readFileSync(join(DOMAIN, file), 'utf8')).filter((s) => !allowedInDomain(s));
    expect(outside).toEqual([]);
  });

  it('would notice an SDK, the HTTP layer, an adapter or wiring', () => {
    const source = [
      "import { GetCommand } from '@aws-sdk/lib-dynamodb';",
      "import { ProblemError } from '../shared/errors';",
      "import type { AuditTrail } from '../adapters/dynamo-audit';",
      "const wiring = await import('../wiring/rights');",
      "import './errors';",
      "import { PURPOSE_IDS } from '../purposes';",
    ].join('\n');
    expect(importsOf(source).filter((s) => !allowedInDomain(s))).toEqual([
      '@aws-sdk/lib-dynamodb',
      '../shared/errors',
      '../adapters/dynamo-audit',
      '../wiring/rights',
    ]);
  });
});
