/**
 * The audit search's rules (domain/audit-search.ts): subject ids become pseudonyms, ranges get their defaults and limits,
 * an export reads every page and refuses rather than cut short, and the CSV is RFC 4180 with every hashed field.
 */
import { GENESIS_HASH, sealEntry, type AuditEntry } from '../../lambdas/domain/audit';
import {
  AUDIT_CSV_COLUMNS,
  AuditExportTooLargeError,
  AuditSearchRangeError,
  auditCsv,
  collectAll,
  resolveSearch,
  type AuditFilter,
} from '../../lambdas/domain/audit-search';

const pseudonyms = { subject: async (id: string) => `p-${id}` };
const NOW = new Date('2026-12-06T12:00:00.000Z');

function entry(seq: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return sealEntry({
    chainId: 'subject#p-a',
    seq,
    entryId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    at: '2026-12-06T10:00:00.000Z',
    day: '2026-12-06',
    actorId: 'system:route:x',
    actorRole: 'system',
    action: 'read',
    subjectPseudonym: 'p-a',
    purpose: 'accountability',
    categories: ['contact'],
    fields: ['users.profile.email', 'users.profile.phone'],
    outcome: 'success',
    correlationId: 'c',
    origin: 'route:x',
    prevHash: GENESIS_HASH,
    expiresAt: 1,
    ...overrides,
  });
}

describe('resolveSearch', () => {
  it('searches a subject\'s chain by pseudonym, from the start of time to now', async () => {
    const { filter, subjectPseudonym } = await resolveSearch({ subjectId: 'a' }, pseudonyms, NOW);
    expect(filter).toEqual({ chainId: 'subject#p-a', actorId: undefined, action: undefined, from: '1970-01-01T00:00:00.000Z', to: NOW.toISOString() });
    expect(subjectPseudonym).toBe('p-a');
  });

  it('turns an actor\'s subject id into their actor id, and defaults an unkeyed search to the last 7 days', async () => {
    expect((await resolveSearch({ actorSubjectId: 'b' }, pseudonyms, NOW)).filter.actorId).toBe('subject:p-b');
    expect((await resolveSearch({ action: 'export' }, pseudonyms, NOW)).filter.from).toBe('2026-11-29T12:00:00.000Z');
  });

  it('refuses a backwards range, and an unkeyed one over 31 days', async () => {
    await expect(resolveSearch({ subjectId: 'a', from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, pseudonyms, NOW)).rejects.toThrow(
      AuditSearchRangeError,
    );
    await expect(resolveSearch({ from: '2026-01-01T00:00:00Z', to: '2026-02-02T00:00:00Z' }, pseudonyms, NOW)).rejects.toMatchObject({
      facts: { reason: 'too-wide', maxDays: 31 },
    });
    await expect(resolveSearch({ subjectId: 'a', from: '2025-01-01T00:00:00Z', to: '2026-02-02T00:00:00Z' }, pseudonyms, NOW)).resolves.toBeDefined();
  });
});

describe('collectAll', () => {
  const pagesOf = (entries: AuditEntry[], size: number) => ({
    calls: [] as Array<number | undefined>,
    async page(_filter: AuditFilter, limit: number, cursor?: number) {
      this.calls.push(cursor);
      const start = cursor ?? 0;
      const end = Math.min(entries.length, start + Math.min(limit, size));
      return { entries: entries.slice(start, end), next: end < entries.length ? end : undefined };
    },
  });
  const filter: AuditFilter = { from: 'a', to: 'b' };

  it('follows the cursor to the end', async () => {
    const all = Array.from({ length: 7 }, (_, i) => entry(7 - i));
    const reader = pagesOf(all, 3);
    expect(await collectAll(reader, filter, 10)).toEqual(all);
    expect(reader.calls).toEqual([undefined, 3, 6]);
  });

  it('takes exactly the limit, and refuses one more', async () => {
    const five = Array.from({ length: 5 }, (_, i) => entry(i + 1));
    await expect(collectAll(pagesOf(five, 2), filter, 5)).resolves.toHaveLength(5);
    await expect(collectAll(pagesOf([...five, entry(6)], 2), filter, 5)).rejects.toThrow(AuditExportTooLargeError);
  });
});

describe('auditCsv', () => {
  it('has a header of every hashed field and the hash, one CRLF row per entry, lists space-separated', () => {
    const csv = auditCsv([entry(2), entry(1)]);
    const rows = csv.split('\r\n');
    expect(rows[0]).toBe(AUDIT_CSV_COLUMNS.join(','));
    expect(rows).toHaveLength(4);
    expect(rows[3]).toBe('');
    const cells = rows[1].split(',');
    expect(cells[AUDIT_CSV_COLUMNS.indexOf('seq')]).toBe('2');
    expect(cells[AUDIT_CSV_COLUMNS.indexOf('fields')]).toBe('users.profile.email users.profile.phone');
    expect(cells.at(-1)).toBe(entry(2).hash);
  });

  it('quotes cells with commas or quotes, and defuses a leading formula character', () => {
    const csv = auditCsv([entry(1, { origin: 'route:"a",b', correlationId: '=cmd' })]);
    expect(csv).toContain('"route:""a"",b"');
    expect(csv).toContain(",'=cmd,");
  });
});
