/**
 * Personal-data breaches (Arts. 33 and 34) as plain rules: the incident record, the 72-hour clock to the supervisory
 * authority, the checklists of what each notice must say, the refusal of free text that looks like someone's contact
 * details, and the export of the record.
 *
 * An incident is documentation the controller must keep (Art. 33(5)): facts, effects and remedial action. It names
 * people only by audit pseudonym (the scope's result); its free-text fields are the officer's words, and text shaped like
 * an email address or a phone number is refused, so a pasted contact cannot slip in.
 *
 * Use cases (over the `IncidentStore` port, the clock injected):
 * - `recordIncident`: 1. refuse personal-looking text and impossible times; 2. write the record and its audit entry together.
 * - `changeIncident`: 1. read; 2. merge the change; 3. refuse a late authority notice without reasons (Art. 33(1)) and
 *   impossible times; 4. write conditionally on the version read, with its audit entry.
 * - `startScope`: 1. mark the record's scope queued under a fresh job id (audited); 2. send the job. A newer start supersedes
 *   an older job, whose result is then dropped (`scopeStillWanted`).
 */
import { csvField } from './csv';
import { Conflict, Invalid, NotFound } from './errors';

/** Art. 33(1): notify the supervisory authority without undue delay and, where feasible, within 72 hours of awareness. */
export const AUTHORITY_NOTICE_HOURS = 72;
export const INCIDENT_STATUSES = ['open', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
/** The usual classification of breaches (EDPB Guidelines 9/2022): confidentiality, integrity, availability. */
export const BREACH_NATURES = ['confidentiality', 'integrity', 'availability'] as const;
export type BreachNature = (typeof BREACH_NATURES)[number];
/** Art. 34(3): when the subjects need not be told one by one. */
export const SUBJECT_NOTICE_EXEMPTIONS = ['unintelligible', 'subsequent-measures', 'disproportionate-effort'] as const;
export type SubjectNoticeExemption = (typeof SUBJECT_NOTICE_EXEMPTIONS)[number];
/**
 * Longest window the scope walks, in calendar days (UTC), ends included: the audit trail's retention and a bit (the same
 * bound as `MAX_WINDOW_DAYS` of the breach-scope computation; a unit test keeps them equal).
 */
export const MAX_SCOPE_WINDOW_DAYS = 400;
/** Longest free text accepted in any field. */
export const MAX_TEXT = 4000;

/** Art. 33(3) and (4): what the notice to the supervisory authority says, filled in as the facts come in. */
export interface AuthorityNotice {
  /** (a) the categories of data and of subjects concerned, beyond the scope's categories (the officer's words). */
  readonly natureDetail?: string;
  /** (a) approximate number of subjects; the scope's count is the default. */
  readonly approxSubjects?: number;
  /** (a) approximate number of records concerned. */
  readonly approxRecords?: number;
  /** (b) the notice gives the DPO's contact; the contact itself is the controller's (docs/ropa.json), never stored here. */
  readonly dpoContactIncluded?: boolean;
  /** (c) likely consequences. */
  readonly consequences?: string;
  /** (d) measures taken or proposed, including mitigation. */
  readonly measures?: string;
  /** 33(4): the information is given in phases; true while more is to follow. */
  readonly furtherInformationToFollow?: boolean;
  /** When the authority was notified. */
  readonly notifiedAt?: string;
  /** 33(1): required when the notice comes after the 72 hours. */
  readonly delayReasons?: string;
  /** The authority's case reference. */
  readonly reference?: string;
}

/** Art. 34(2) and (3): the communication to the data subjects, or why none is owed one by one. */
export interface SubjectNotice {
  /** Art. 34(1): the breach is likely to result in a high risk to the subjects (the officer's assessment). */
  readonly highRisk?: boolean;
  /** 34(2): the nature of the breach in clear and plain language. */
  readonly plainDescription?: string;
  readonly dpoContactIncluded?: boolean;
  readonly consequences?: string;
  readonly measures?: string;
  readonly notifiedAt?: string;
  /** 34(3)(a)-(c). */
  readonly exemption?: SubjectNoticeExemption;
  /** Why the exemption applies (e.g. the data was encrypted and the key was not compromised). */
  readonly exemptionReason?: string;
  /** 34(3)(c): the public communication made instead. */
  readonly publicCommunication?: string;
}

/** What the scope job found, summed over the affected stores; the pseudonyms are stored (and read) apart. */
export interface IncidentScopeResult {
  readonly categories: readonly string[];
  readonly subjects: { readonly count: number; readonly approximate: boolean };
  readonly stores: readonly StoreScope[];
}

export interface StoreScope {
  readonly store: string;
  readonly kind: string;
  readonly categories: readonly string[];
  readonly held: { readonly enumerated: boolean; readonly subjects: number; readonly identifiedBy: string; readonly note?: string };
  readonly accessed: {
    readonly entries: number;
    readonly subjects: number;
    readonly byOrigin: readonly {
      readonly origin: string;
      readonly entries: number;
      readonly subjects: number;
      readonly actions: readonly string[];
      readonly categories: readonly string[];
      readonly declared: boolean;
    }[];
  };
}

export interface IncidentScope {
  readonly status: 'queued' | 'done' | 'failed';
  readonly jobId: string;
  readonly requestedAt: string;
  readonly finishedAt?: string;
  readonly result?: IncidentScopeResult;
  /** How many pseudonym pages the result has (the store keeps them beside the record). */
  readonly pages?: number;
}

export interface Incident {
  readonly incidentId: string;
  /** When the controller became aware of the breach: the 72 hours run from here. */
  readonly awareAt: string;
  /** When the breach was detected (by whom or what is the officer's text). */
  readonly detectedAt: string;
  readonly stores: readonly string[];
  /** When the breach may have happened: the scope's window. */
  readonly window: { readonly from: string; readonly to: string };
  readonly description: string;
  readonly nature: readonly BreachNature[];
  readonly status: IncidentStatus;
  readonly authorityNotice: AuthorityNotice;
  readonly subjectNotice: SubjectNotice;
  readonly scope?: IncidentScope;
  readonly createdAt: string;
  /** Version: every write is conditional on it. */
  readonly updatedAt: string;
}

export interface NewIncident {
  readonly awareAt: string;
  readonly detectedAt: string;
  readonly stores: readonly string[];
  readonly window: { readonly from: string; readonly to: string };
  readonly description: string;
  readonly nature: readonly BreachNature[];
}

export interface IncidentChange {
  readonly description?: string;
  readonly nature?: readonly BreachNature[];
  readonly status?: IncidentStatus;
  readonly authorityNotice?: AuthorityNotice;
  readonly subjectNotice?: SubjectNotice;
}

export class IncidentNotFoundError extends NotFound<'incident-not-found'> {
  constructor() {
    super('incident-not-found', {});
  }
}
export class IncidentChangedError extends Conflict<'incident-changed'> {
  constructor() {
    super('incident-changed', {});
  }
}
export class IncidentClosedError extends Conflict<'incident-closed'> {
  constructor() {
    super('incident-closed', {});
  }
}
/** Free text shaped like an email address or a phone number; the facts name the field, never the text. */
export class PersonalDataInTextError extends Invalid<'personal-data-in-text'> {
  constructor(field: string) {
    super('personal-data-in-text', { field });
  }
}
export class LateNoticeReasonsError extends Invalid<'late-notice-reasons-required'> {
  constructor(deadline: string) {
    super('late-notice-reasons-required', { deadline });
  }
}
export class IncidentTimesError extends Invalid<'incident-times'> {
  constructor(field: string, rule: string) {
    super('incident-times', { field, rule });
  }
}

// --- free text --------------------------------------------------------------------------------------------------------

/** Email, also URL-encoded; the same shape the log redaction uses (runtime/redact.ts). */
const EMAIL = /(?<![\w.%+-])[\w.%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
/**
 * A phone number: `+` or `00` and 7 to 15 digits (E.164), or a national number starting with 0 and 9 to 12 digits,
 * with single spaces, dots, dashes or brackets between digits. Dates (2026-12-06), times and case references that do
 * not start with 0 or + do not match.
 */
const PHONE_INTERNATIONAL = /(?<![\w+])(?:\+|00)\d(?:[ ().-]?\d){6,14}(?!\d)/;
const PHONE_NATIONAL = /(?<![\w.+-])0\d(?:[ ().-]?\d){7,10}(?![\d-])/;

/** True when the text holds something shaped like an email address or a phone number. */
export function looksLikeContactDetails(text: string): boolean {
  return EMAIL.test(text) || PHONE_INTERNATIONAL.test(text) || PHONE_NATIONAL.test(text);
}

/** Every string in the value, with its path (`authorityNotice.measures`). */
function* textsOf(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* textsOf(item, `${path}.${i}`);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) yield* textsOf(item, path ? `${path}.${key}` : key);
  }
}

/** Throws `PersonalDataInTextError` naming the first field whose text looks like contact details. */
export function refuseContactDetails(value: object): void {
  for (const [path, text] of textsOf(value, '')) {
    if (looksLikeContactDetails(text)) throw new PersonalDataInTextError(path);
  }
}

// --- the clock --------------------------------------------------------------------------------------------------------

export type ClockState = 'running' | 'overdue' | 'notified' | 'notified-late';

export interface NoticeClock {
  /** Awareness + 72 hours. */
  readonly deadline: string;
  readonly state: ClockState;
  /** Until the deadline (negative once past); at notification, the time that was left then. */
  readonly minutesLeft: number;
}

export function authorityDeadline(awareAt: string): string {
  return new Date(Date.parse(awareAt) + AUTHORITY_NOTICE_HOURS * 3_600_000).toISOString();
}

/** Where the 72 hours stand at `now`, or stood when the authority was notified. */
export function noticeClock(incident: Pick<Incident, 'awareAt' | 'authorityNotice'>, now: Date): NoticeClock {
  const deadline = authorityDeadline(incident.awareAt);
  const notifiedAt = incident.authorityNotice.notifiedAt;
  const at = notifiedAt ? Date.parse(notifiedAt) : now.getTime();
  const minutesLeft = Math.floor((Date.parse(deadline) - at) / 60_000);
  const late = at > Date.parse(deadline);
  const state: ClockState = notifiedAt ? (late ? 'notified-late' : 'notified') : late ? 'overdue' : 'running';
  return { deadline, state, minutesLeft };
}

// --- checklists -------------------------------------------------------------------------------------------------------

export interface ChecklistItem {
  readonly field: string;
  readonly article: string;
  readonly label: string;
  readonly filled: boolean;
}

export interface Checklist {
  readonly items: readonly ChecklistItem[];
  readonly complete: boolean;
}

const filledText = (text: string | undefined): boolean => text !== undefined && text.trim() !== '';
const checklist = (items: ChecklistItem[]): Checklist => ({ items, complete: items.every((i) => i.filled) });

/** Art. 33(3): each point of the notice, and whether the record holds it; the delay's reasons only when the notice is late. */
export function authorityChecklist(incident: Incident, now: Date): Checklist {
  const notice = incident.authorityNotice;
  const scopeDone = incident.scope?.status === 'done';
  const late = Date.parse(notice.notifiedAt ?? now.toISOString()) > Date.parse(authorityDeadline(incident.awareAt));
  return checklist([
    { field: 'description', article: '33(3)(a)', label: 'Nature of the breach', filled: filledText(incident.description) && incident.nature.length > 0 },
    { field: 'categories', article: '33(3)(a)', label: 'Categories of data and of subjects concerned', filled: scopeDone || filledText(notice.natureDetail) },
    { field: 'approxSubjects', article: '33(3)(a)', label: 'Approximate number of subjects', filled: scopeDone || notice.approxSubjects !== undefined },
    { field: 'approxRecords', article: '33(3)(a)', label: 'Approximate number of records', filled: notice.approxRecords !== undefined },
    { field: 'dpoContactIncluded', article: '33(3)(b)', label: 'Contact of the data-protection officer', filled: notice.dpoContactIncluded === true },
    { field: 'consequences', article: '33(3)(c)', label: 'Likely consequences', filled: filledText(notice.consequences) },
    { field: 'measures', article: '33(3)(d)', label: 'Measures taken or proposed', filled: filledText(notice.measures) },
    ...(late ? [{ field: 'delayReasons', article: '33(1)', label: 'Reasons for the delay past 72 hours', filled: filledText(notice.delayReasons) }] : []),
    { field: 'notifiedAt', article: '33(1)', label: 'Authority notified', filled: notice.notifiedAt !== undefined },
  ]);
}

/**
 * Art. 34: with an exemption (34(3)), its reason (and for disproportionate effort, the public communication); else the
 * points of 34(2) and the time the subjects were told. Without a high-risk assessment, only that assessment is asked for.
 */
export function subjectChecklist(incident: Incident): Checklist {
  const notice = incident.subjectNotice;
  const assessed: ChecklistItem = { field: 'highRisk', article: '34(1)', label: 'High risk to the subjects assessed', filled: notice.highRisk !== undefined };
  if (notice.highRisk === false) return checklist([assessed]);
  if (notice.exemption) {
    return checklist([
      assessed,
      { field: 'exemption', article: '34(3)', label: 'Exemption from telling each subject', filled: true },
      { field: 'exemptionReason', article: '34(3)', label: 'Why the exemption applies', filled: filledText(notice.exemptionReason) },
      ...(notice.exemption === 'disproportionate-effort'
        ? [{ field: 'publicCommunication', article: '34(3)(c)', label: 'Public communication made instead', filled: filledText(notice.publicCommunication) }]
        : []),
    ]);
  }
  return checklist([
    assessed,
    { field: 'plainDescription', article: '34(2)', label: 'Nature of the breach in plain language', filled: filledText(notice.plainDescription) },
    { field: 'dpoContactIncluded', article: '34(2)', label: 'Contact of the data-protection officer', filled: notice.dpoContactIncluded === true },
    { field: 'consequences', article: '34(2)', label: 'Likely consequences', filled: filledText(notice.consequences) },
    { field: 'measures', article: '34(2)', label: 'Measures taken or proposed', filled: filledText(notice.measures) },
    { field: 'notifiedAt', article: '34(1)', label: 'Subjects told', filled: notice.notifiedAt !== undefined },
  ]);
}

// --- rules on times ---------------------------------------------------------------------------------------------------

function checkTimes(incident: Pick<Incident, 'awareAt' | 'detectedAt' | 'window' | 'authorityNotice' | 'subjectNotice'>, now: Date): void {
  const t = (iso: string) => Date.parse(iso);
  const future = now.getTime() + 5 * 60_000; // a few minutes of clock skew between the officer's machine and ours
  if (t(incident.window.from) > t(incident.window.to)) throw new IncidentTimesError('window.from', 'after window.to');
  const day = (iso: string) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
  if ((day(incident.window.to) - day(incident.window.from)) / 86_400_000 + 1 > MAX_SCOPE_WINDOW_DAYS) {
    throw new IncidentTimesError('window', `longer than ${MAX_SCOPE_WINDOW_DAYS} days`);
  }
  if (t(incident.detectedAt) > t(incident.awareAt)) throw new IncidentTimesError('detectedAt', 'after awareAt');
  for (const [field, at] of [
    ['awareAt', incident.awareAt],
    ['detectedAt', incident.detectedAt],
    ['authorityNotice.notifiedAt', incident.authorityNotice.notifiedAt],
    ['subjectNotice.notifiedAt', incident.subjectNotice.notifiedAt],
  ] as const) {
    if (at !== undefined && t(at) > future) throw new IncidentTimesError(field, 'in the future');
  }
  for (const [field, at] of [
    ['authorityNotice.notifiedAt', incident.authorityNotice.notifiedAt],
    ['subjectNotice.notifiedAt', incident.subjectNotice.notifiedAt],
  ] as const) {
    if (at !== undefined && t(at) < t(incident.detectedAt)) throw new IncidentTimesError(field, 'before detectedAt');
  }
}

/** Art. 33(1): a notice after the 72 hours carries the reasons for the delay. */
function checkLateNotice(incident: Pick<Incident, 'awareAt' | 'authorityNotice'>): void {
  const { notifiedAt, delayReasons } = incident.authorityNotice;
  const deadline = authorityDeadline(incident.awareAt);
  if (notifiedAt && Date.parse(notifiedAt) > Date.parse(deadline) && !filledText(delayReasons)) throw new LateNoticeReasonsError(deadline);
}

// --- use cases --------------------------------------------------------------------------------------------------------

/** The scope's pseudonyms, read page by page. */
export interface IncidentStore {
  create(incident: Incident): Promise<void>;
  get(incidentId: string): Promise<Incident | undefined>;
  /** Newest awareness first. */
  list(): Promise<Incident[]>;
  /** Conditional on `previous.updatedAt`; throws `IncidentChangedError` when someone wrote in between. */
  replace(previous: Incident, next: Incident, fields: readonly string[]): Promise<void>;
  pseudonyms(incident: Incident): Promise<string[]>;
  /** Records that the incident was exported (audited; nothing changes). */
  recordExport(incident: Incident): Promise<void>;
}

export interface IncidentDeps {
  readonly incidents: IncidentStore;
  readonly now: () => Date;
  readonly newId: () => string;
  /** Sends the scope job (ids only) to the queue. */
  readonly enqueueScope: (job: { incidentId: string; jobId: string }) => Promise<void>;
}

export async function recordIncident(deps: Pick<IncidentDeps, 'incidents' | 'now' | 'newId'>, input: NewIncident): Promise<Incident> {
  refuseContactDetails({ description: input.description });
  const at = deps.now().toISOString();
  const incident: Incident = {
    incidentId: deps.newId(),
    awareAt: new Date(input.awareAt).toISOString(),
    detectedAt: new Date(input.detectedAt).toISOString(),
    stores: [...new Set(input.stores)].sort(),
    window: { from: new Date(input.window.from).toISOString(), to: new Date(input.window.to).toISOString() },
    description: input.description,
    nature: [...new Set(input.nature)],
    status: 'open',
    authorityNotice: {},
    subjectNotice: {},
    createdAt: at,
    updatedAt: at,
  };
  checkTimes(incident, deps.now());
  await deps.incidents.create(incident);
  return incident;
}

async function existing(incidents: IncidentStore, incidentId: string): Promise<Incident> {
  const incident = await incidents.get(incidentId);
  if (!incident) throw new IncidentNotFoundError();
  return incident;
}

const iso = (value: string | undefined) => (value === undefined ? undefined : new Date(value).toISOString());

/** Field names a change touches, as `incidents.<field>` for the audit entry (names only, never the text). */
function changedFields(change: IncidentChange): string[] {
  return Object.keys(change).map((key) => `incidents.${key}`);
}

/** Merges a change (notices merge field by field; `null`-free: a field left out keeps its value). */
export async function changeIncident(deps: Pick<IncidentDeps, 'incidents' | 'now'>, incidentId: string, change: IncidentChange): Promise<Incident> {
  refuseContactDetails(change);
  const current = await existing(deps.incidents, incidentId);
  // A closed record is documentation: it may be reopened, nothing else.
  if (current.status === 'closed' && !(change.status === 'open' && Object.keys(change).length === 1)) throw new IncidentClosedError();
  const authorityNotice = { ...current.authorityNotice, ...change.authorityNotice };
  const subjectNotice = { ...current.subjectNotice, ...change.subjectNotice };
  const next: Incident = {
    ...current,
    ...(change.description !== undefined ? { description: change.description } : {}),
    ...(change.nature !== undefined ? { nature: [...new Set(change.nature)] } : {}),
    ...(change.status !== undefined ? { status: change.status } : {}),
    authorityNotice: { ...authorityNotice, ...(authorityNotice.notifiedAt ? { notifiedAt: iso(authorityNotice.notifiedAt) } : {}) },
    subjectNotice: { ...subjectNotice, ...(subjectNotice.notifiedAt ? { notifiedAt: iso(subjectNotice.notifiedAt) } : {}) },
    updatedAt: laterThan(current.updatedAt, deps.now()),
  };
  checkTimes(next, deps.now());
  checkLateNotice(next);
  await deps.incidents.replace(current, next, changedFields(change));
  return next;
}

/** `now`, or a millisecond after the previous version when the clock has not moved on (versions must differ). */
function laterThan(previous: string, now: Date): string {
  const at = Math.max(now.getTime(), Date.parse(previous) + 1);
  return new Date(at).toISOString();
}

/** Queues the scope job; a scope already queued is superseded (its job's result is dropped when it arrives). */
export async function startScope(deps: IncidentDeps, incidentId: string): Promise<Incident> {
  const current = await existing(deps.incidents, incidentId);
  if (current.status === 'closed') throw new IncidentClosedError();
  const now = deps.now();
  const next: Incident = {
    ...current,
    scope: { status: 'queued', jobId: deps.newId(), requestedAt: now.toISOString() },
    updatedAt: laterThan(current.updatedAt, now),
  };
  // Recorded first, then sent: a send that fails leaves the scope queued, and starting it again sends a fresh job.
  await deps.incidents.replace(current, next, ['incidents.scope']);
  await deps.enqueueScope({ incidentId, jobId: next.scope!.jobId });
  return next;
}

/** The scope job's result is kept only if the incident still waits for this job (a newer start supersedes it). */
export function scopeStillWanted(incident: Incident | undefined, jobId: string): incident is Incident {
  return incident?.scope?.status === 'queued' && incident.scope.jobId === jobId;
}

export async function getIncident(deps: Pick<IncidentDeps, 'incidents'>, incidentId: string): Promise<Incident> {
  return existing(deps.incidents, incidentId);
}

// --- views and export -------------------------------------------------------------------------------------------------

export interface IncidentView extends Incident {
  readonly clock: NoticeClock;
  readonly checklists: { readonly authority: Checklist; readonly subjects: Checklist };
}

export function incidentView(incident: Incident, now: Date): IncidentView {
  return { ...incident, clock: noticeClock(incident, now), checklists: { authority: authorityChecklist(incident, now), subjects: subjectChecklist(incident) } };
}

/** Flattens the record into `field,value` rows (lists space-separated), pseudonyms last, one per row. */
export function incidentCsv(view: IncidentView, pseudonyms: readonly string[]): string {
  const rows: [string, string][] = [];
  const walk = (value: unknown, path: string) => {
    if (value === undefined) return;
    if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) rows.push([path, value.join(' ')]);
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}.${i}`));
    else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, path ? `${path}.${key}` : key);
    else rows.push([path, String(value)]);
  };
  walk(view, '');
  for (const pseudonym of pseudonyms) rows.push(['scope.pseudonym', pseudonym]);
  return ['field,value', ...rows.map(([f, v]) => `${csvField(f)},${csvField(v)}`)].join('\r\n') + '\r\n';
}

/** The export: the record with its clock and checklists, and every pseudonym the scope found; the export is audited. */
export async function exportIncident(
  deps: Pick<IncidentDeps, 'incidents' | 'now'>,
  incidentId: string,
): Promise<{ view: IncidentView; pseudonyms: string[]; exportedAt: string }> {
  const incident = await existing(deps.incidents, incidentId);
  const pseudonyms = await deps.incidents.pseudonyms(incident);
  await deps.incidents.recordExport(incident);
  const now = deps.now();
  return { view: incidentView(incident, now), pseudonyms, exportedAt: now.toISOString() };
}

// --- the scope job ----------------------------------------------------------------------------------------------------

/** One store's scope, as the breach-scope computation returns it (adapters/dynamo-breach-scope.ts), pseudonyms included. */
export interface ComputedStoreScope extends Omit<StoreScope, 'held' | 'accessed'> {
  readonly subjects: { readonly count: number; readonly pseudonyms: readonly string[]; readonly approximate: boolean };
  readonly held: StoreScope['held'];
  readonly accessed: StoreScope['accessed'];
}

export interface ScopeJobDeps {
  readonly incidents: Pick<IncidentStore, 'get'> & {
    saveScope(incident: Incident, jobId: string, result: IncidentScopeResult, pseudonyms: readonly string[]): Promise<boolean>;
    failScope(incident: Incident, jobId: string): Promise<void>;
  };
  readonly scopeOf: (store: string, window: { from: string; to: string }) => Promise<ComputedStoreScope>;
}

/** Sums the stores' scopes: categories and pseudonyms united, plus the subjects a store counts without pseudonyms. */
export function mergeScopes(scopes: readonly ComputedStoreScope[]): { result: IncidentScopeResult; pseudonyms: string[] } {
  const pseudonyms = [...new Set(scopes.flatMap((s) => s.subjects.pseudonyms))].sort();
  const unmatched = scopes.reduce((sum, s) => sum + (s.subjects.count - s.subjects.pseudonyms.length), 0);
  return {
    result: {
      categories: [...new Set(scopes.flatMap((s) => s.categories))].sort(),
      subjects: { count: pseudonyms.length + unmatched, approximate: scopes.some((s) => s.subjects.approximate) },
      stores: scopes.map(({ store, kind, categories, held, accessed }) => ({
        store,
        kind,
        categories,
        held: { enumerated: held.enumerated, subjects: held.subjects, identifiedBy: held.identifiedBy, ...(held.note ? { note: held.note } : {}) },
        accessed: { entries: accessed.entries, subjects: accessed.subjects, byOrigin: accessed.byOrigin },
      })),
    },
    pseudonyms,
  };
}

/**
 * The scope job: 1. read the incident, and do nothing unless it still waits for this job; 2. compute each affected store's
 * scope over the incident's window; 3. store the sum and the pseudonyms (conditionally: a newer start wins).
 * Idempotent: a redelivered job whose result was stored finds the scope done and stops.
 */
export async function runScopeJob(deps: ScopeJobDeps, job: { incidentId: string; jobId: string }): Promise<'done' | 'superseded'> {
  const incident = await deps.incidents.get(job.incidentId);
  if (!scopeStillWanted(incident, job.jobId)) return 'superseded';
  const scopes: ComputedStoreScope[] = [];
  for (const store of incident.stores) scopes.push(await deps.scopeOf(store, incident.window));
  const { result, pseudonyms } = mergeScopes(scopes);
  return (await deps.incidents.saveScope(incident, job.jobId, result, pseudonyms)) ? 'done' : 'superseded';
}

/** On the job's last delivery, the failure is recorded on the incident so the console stops waiting. */
export async function failScopeJob(deps: Pick<ScopeJobDeps, 'incidents'>, job: { incidentId: string; jobId: string }): Promise<void> {
  const incident = await deps.incidents.get(job.incidentId);
  if (scopeStillWanted(incident, job.jobId)) await deps.incidents.failScope(incident, job.jobId);
}
