/**
 * Searching the audit trail as an administrator, and exporting what a search finds for a regulator. Plain rules over a
 * port: which chain or index a search reads is the reader's business (`adapters/dynamo-audit.ts`), so the by-day index's
 * layout can change under it without this module knowing.
 */
import { csvField } from './csv';
import { HASHED_FIELDS, subjectChain, verifyChain, type AuditAction, type AuditEntry, type ChainReport } from './audit';
import { Invalid } from './errors';

/** What an administrator asks for (the route's query, already validated for shape). */
export interface AuditSearchQuery {
  readonly subjectId?: string;
  readonly subjectPseudonym?: string;
  readonly actorId?: string;
  readonly actorSubjectId?: string;
  readonly action?: AuditAction;
  /** ISO timestamps, inclusive. */
  readonly from?: string;
  readonly to?: string;
}

/** What the reader is asked: one chain, one actor, or a time range (newest first). */
export interface AuditFilter {
  readonly chainId?: string;
  readonly actorId?: string;
  readonly action?: string;
  /** ISO timestamps, inclusive. */
  readonly from: string;
  readonly to: string;
}

export interface AuditPage<C> {
  readonly entries: AuditEntry[];
  readonly next?: C;
}

/** The reader, as searching and verifying need it. */
export interface AuditReader<C> {
  page(filter: AuditFilter, limit: number, cursor?: C): Promise<AuditPage<C>>;
  wholeChain(chainId: string): Promise<AuditEntry[]>;
  chainHead(chainId: string): Promise<{ seq: number; hash: string } | undefined>;
}

export interface SubjectPseudonyms {
  subject(subjectId: string): Promise<string>;
}

/** Day partitions walked at most when neither subject nor actor narrows a search: each day is one partition to read. */
export const MAX_DAYS_WITHOUT_KEY = 31;
/** Without a range, a search that names no subject or actor looks back this far. */
export const DEFAULT_DAYS_WITHOUT_KEY = 7;
/**
 * Most entries one export holds. An export is evidence: cutting it short silently would mislead, so a larger result set is
 * refused and the administrator narrows the range (or exports in parts). The bound comes from Lambda's 6 MB limit on a
 * synchronous response: an entry is at most about 1.2 KB as JSON, so 4,000 stay under 5 MB.
 */
export const MAX_EXPORT_ENTRIES = 4_000;

const DAY_MS = 86_400_000;
const EPOCH = '1970-01-01T00:00:00.000Z';

/** A search the reader cannot answer as asked: the range is backwards, or too wide for an unkeyed search. */
export class AuditSearchRangeError extends Invalid<'audit-search-range'> {
  constructor(readonly reason: 'backwards' | 'too-wide') {
    super('audit-search-range', { reason, maxDays: MAX_DAYS_WITHOUT_KEY });
  }
}

/** The result set holds more entries than one export may. */
export class AuditExportTooLargeError extends Invalid<'audit-export-too-large'> {
  constructor() {
    super('audit-export-too-large', { maxEntries: MAX_EXPORT_ENTRIES });
  }
}

/** A search resolved for the reader: subject ids turned into pseudonyms, defaults applied, range checked. */
export interface ResolvedSearch {
  readonly filter: AuditFilter;
  /** The subject the search is about, if any: looking at their trail is itself an access to it. */
  readonly subjectPseudonym?: string;
}

/**
 * 1. turn subject ids (the subject's, the actor's) into pseudonyms, the only names the trail holds;
 * 2. default the range: up to now, from the start of time when keyed, else the last `DEFAULT_DAYS_WITHOUT_KEY` days;
 * 3. refuse a backwards range, and an unkeyed one wider than `MAX_DAYS_WITHOUT_KEY` days.
 */
export async function resolveSearch(query: AuditSearchQuery, pseudonyms: SubjectPseudonyms, now: Date): Promise<ResolvedSearch> {
  const subjectPseudonym = query.subjectId ? await pseudonyms.subject(query.subjectId) : query.subjectPseudonym;
  const actorId = query.actorSubjectId ? `subject:${await pseudonyms.subject(query.actorSubjectId)}` : query.actorId;
  const keyed = subjectPseudonym !== undefined || actorId !== undefined;
  const to = query.to ?? now.toISOString();
  const from = query.from ?? (keyed ? EPOCH : new Date(Date.parse(to) - DEFAULT_DAYS_WITHOUT_KEY * DAY_MS).toISOString());
  if (from > to) throw new AuditSearchRangeError('backwards');
  if (!keyed && Date.parse(to) - Date.parse(from) > MAX_DAYS_WITHOUT_KEY * DAY_MS) throw new AuditSearchRangeError('too-wide');
  return {
    filter: { chainId: subjectPseudonym ? subjectChain(subjectPseudonym) : undefined, actorId, action: query.action, from, to },
    subjectPseudonym,
  };
}

/**
 * Every entry a search finds, newest first, page by page through the reader (so it reads exactly what the paginated search
 * would). Refuses past `max` entries rather than return a partial set.
 */
export async function collectAll<C>(reader: Pick<AuditReader<C>, 'page'>, filter: AuditFilter, max = MAX_EXPORT_ENTRIES): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let cursor: C | undefined;
  do {
    // One more than fits, so "exactly max" and "more than max" can be told apart.
    const page = await reader.page(filter, Math.min(1000, max + 1 - entries.length), cursor);
    entries.push(...page.entries);
    if (entries.length > max) throw new AuditExportTooLargeError();
    cursor = page.next;
  } while (cursor !== undefined);
  return entries;
}

/** Verifies one subject's whole chain against its head: the console's "verify chain". */
export async function verifySubjectChain<C>(
  reader: Pick<AuditReader<C>, 'wholeChain' | 'chainHead'>,
  pseudonyms: SubjectPseudonyms,
  subjectId: string,
): Promise<ChainReport & { subjectPseudonym: string }> {
  const subjectPseudonym = await pseudonyms.subject(subjectId);
  const chainId = subjectChain(subjectPseudonym);
  const [entries, head] = await Promise.all([reader.wholeChain(chainId), reader.chainHead(chainId)]);
  return { ...verifyChain(chainId, entries, head), subjectPseudonym };
}

/** The columns of the CSV export, in order: every hashed field and the hash, so a regulator can re-hash each row. */
export const AUDIT_CSV_COLUMNS = [...HASHED_FIELDS, 'hash'] as const satisfies readonly (keyof AuditEntry)[];

/** RFC 4180: quote every cell that holds a comma, quote or line break; lists are joined with a space. */
function csvCell(value: unknown): string {
  const text = Array.isArray(value) ? value.join(' ') : value === undefined || value === null ? '' : String(value);
  // Entries never start with a formula, but a reader may open the file in a spreadsheet.
  return csvField(text);
}

/** The entries as CSV (header row first, CRLF line ends as RFC 4180 says). */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const rows = [AUDIT_CSV_COLUMNS.join(','), ...entries.map((e) => AUDIT_CSV_COLUMNS.map((c) => csvCell(e[c])).join(','))];
  return `${rows.join('\r\n')}\r\n`;
}
