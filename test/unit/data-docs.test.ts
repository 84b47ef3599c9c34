import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataMapMermaid, ropa } from '../../lambdas/data-docs';
import { inventory } from '../../lambdas/inventory';
import { PURPOSE_IDS } from '../../lambdas/purposes';
import { routes } from '../../lambdas/routes';
import { DATA_DOCS } from '../../scripts/generate-data-docs';

describe('generated data-protection documents', () => {
  it.each(Object.keys(DATA_DOCS))('docs/%s is fresh (run `npm run datadocs`)', (file) => {
    const committed = readFileSync(join(__dirname, '..', '..', 'docs', file), 'utf8');
    expect(committed).toBe(DATA_DOCS[file]());
  });

  it('maps every store, and every route that touches personal data', () => {
    const map = dataMapMermaid();
    for (const store of Object.keys(inventory)) expect(map).toContain(`s_${store}[`);
    for (const route of routes.filter((r) => r.personalData.length > 0)) expect(map).toContain(`r_${route.id}[`);
    expect(map).toMatch(/-- "r: [a-z, -]+" -->/);
  });

  it('has one RoPA activity per purpose, naming the routes that process for it', () => {
    const record = ropa();
    expect(record.activities.map((a) => a.purpose)).toEqual(PURPOSE_IDS);
    const marketing = record.activities.find((a) => a.purpose === 'marketing-email')!;
    expect(marketing).toMatchObject({ lawfulBasis: 'consent', recipients: ['Email delivery provider (processor)'] });
    expect(marketing.processedBy).toContain('PUT /v1/me/newsletter');
    expect(record.activities.find((a) => a.purpose === 'account')!.stores).toEqual(expect.arrayContaining(['users', 'sessions', 'subjectKeys']));
  });
});
