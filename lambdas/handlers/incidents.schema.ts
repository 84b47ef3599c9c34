/** Request and response schemas of the incident routes (breach response, Arts. 33 and 34). */
import * as z from 'zod/mini';
import { lazySchema } from '../http/route-definition';
import { BREACH_NATURES, INCIDENT_STATUSES, MAX_TEXT, SUBJECT_NOTICE_EXEMPTIONS } from '../domain/incidents';
import { inventory, type StoreId } from '../inventory';

const STORE_IDS = Object.keys(inventory) as [StoreId, ...StoreId[]];
const isoTime = z.iso.datetime({ offset: true });
const NO_CONTACTS = ' Text shaped like an email address or a phone number is refused (422 personal-data-in-text).';
const text = (description: string, min = 1) =>
  z.string().check(z.trim(), z.minLength(min), z.maxLength(MAX_TEXT), z.describe(description + NO_CONTACTS));
const count = () => z.int().check(z.minimum(0));

export const incidentIdParams = z.strictObject({ incidentId: z.uuid() });

export const newIncidentBody = z
  .strictObject({
    awareAt: isoTime.check(z.describe('When the controller became aware of the breach: the 72 hours to the authority run from here (Art. 33(1)).')),
    detectedAt: isoTime.check(z.describe('When the breach was detected; not after awareAt.')),
    stores: z
      .array(z.enum(STORE_IDS))
      .check(z.minLength(1), z.maxLength(STORE_IDS.length), z.describe('Affected stores, by inventory id: the scope covers each.')),
    window: z
      .strictObject({ from: isoTime, to: isoTime })
      .check(z.describe('When the breach may have happened: the scope counts subjects held and accesses in it.')),
    description: text('What happened, in the officer\'s words.', 3),
    nature: z.array(z.enum(BREACH_NATURES)).check(z.minLength(1), z.describe('Confidentiality, integrity and/or availability breach.')),
  })
  .register(z.globalRegistry, { id: 'NewIncident' });

const authorityNotice = z.strictObject({
  natureDetail: z.optional(text('Art. 33(3)(a): categories of data and of subjects concerned, beyond the scope\'s.')),
  approxSubjects: z.optional(count()),
  approxRecords: z.optional(count()),
  dpoContactIncluded: z.optional(
    z.boolean().check(z.describe('Art. 33(3)(b): the notice gives the DPO\'s contact (the contact itself is the RoPA\'s, never stored here).')),
  ),
  consequences: z.optional(text('Art. 33(3)(c): likely consequences.')),
  measures: z.optional(text('Art. 33(3)(d): measures taken or proposed.')),
  furtherInformationToFollow: z.optional(z.boolean().check(z.describe('Art. 33(4): information given in phases; more to follow.'))),
  notifiedAt: z.optional(isoTime.check(z.describe('When the authority was notified; after the 72 hours, delayReasons is required.'))),
  delayReasons: z.optional(text('Art. 33(1): reasons for notifying after 72 hours.')),
  reference: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100), z.describe('The authority\'s case reference.'))),
});

const subjectNotice = z.strictObject({
  highRisk: z.optional(z.boolean().check(z.describe('Art. 34(1): likely to result in a high risk to the subjects.'))),
  plainDescription: z.optional(text('Art. 34(2): the nature of the breach in clear and plain language.')),
  dpoContactIncluded: z.optional(z.boolean()),
  consequences: z.optional(text('Likely consequences, for the subjects.')),
  measures: z.optional(text('Measures taken or proposed, for the subjects.')),
  notifiedAt: z.optional(isoTime),
  exemption: z.optional(z.enum(SUBJECT_NOTICE_EXEMPTIONS).check(z.describe('Art. 34(3)(a), (b) or (c).'))),
  exemptionReason: z.optional(text('Why the exemption applies.')),
  publicCommunication: z.optional(text('Art. 34(3)(c): the public communication made instead.')),
});

export const incidentChangeBody = z
  .strictObject({
    description: z.optional(text('What happened.', 3)),
    nature: z.optional(z.array(z.enum(BREACH_NATURES)).check(z.minLength(1))),
    status: z.optional(z.enum(INCIDENT_STATUSES).check(z.describe('closed: documentation only; a closed incident can only be reopened.'))),
    authorityNotice: z.optional(authorityNotice),
    subjectNotice: z.optional(subjectNotice),
  })
  .check(z.refine((body) => Object.keys(body).length > 0, { message: 'Change at least one field' }))
  .register(z.globalRegistry, { id: 'IncidentChange' });

export const incidentExportQuery = z.strictObject({
  format: z.optional(z.enum(['json', 'csv'])).check(z.describe('`json` (default) or `csv` (field,value rows).')),
});

const checklist = () =>
  z.object({
    items: z.array(z.object({ field: z.string(), article: z.string(), label: z.string(), filled: z.boolean() })),
    complete: z.boolean(),
  });

const storeScope = () =>
  z.object({
    store: z.string(),
    kind: z.string(),
    categories: z.array(z.string()),
    held: z.object({ enumerated: z.boolean(), subjects: z.int(), identifiedBy: z.string(), note: z.optional(z.string()) }),
    accessed: z.object({
      entries: z.int(),
      subjects: z.int(),
      byOrigin: z.array(
        z.object({
          origin: z.string(),
          entries: z.int(),
          subjects: z.int(),
          actions: z.array(z.string()),
          categories: z.array(z.string()),
          declared: z.boolean(),
        }),
      ),
    }),
  });

export const incidentView = lazySchema(() =>
  z
    .object({
      incidentId: z.uuid(),
      awareAt: z.iso.datetime(),
      detectedAt: z.iso.datetime(),
      stores: z.array(z.string()),
      window: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
      description: z.string(),
      nature: z.array(z.enum(BREACH_NATURES)),
      status: z.enum(INCIDENT_STATUSES),
      authorityNotice,
      subjectNotice,
      scope: z.optional(
        z.object({
          status: z.enum(['queued', 'done', 'failed']),
          jobId: z.uuid(),
          requestedAt: z.iso.datetime(),
          finishedAt: z.optional(z.iso.datetime()),
          pages: z.optional(z.int()),
          result: z.optional(
            z.object({
              categories: z.array(z.string()),
              subjects: z.object({ count: z.int(), approximate: z.boolean() }),
              stores: z.array(storeScope()),
            }),
          ),
        }),
      ),
      createdAt: z.iso.datetime(),
      updatedAt: z.iso.datetime(),
      clock: z
        .object({ deadline: z.iso.datetime(), state: z.enum(['running', 'overdue', 'notified', 'notified-late']), minutesLeft: z.int() })
        .check(z.describe('The 72 hours to the authority: deadline = awareAt + 72 h; minutes left (negative past it), or left at notification.')),
      checklists: z
        .object({ authority: checklist(), subjects: checklist() })
        .check(z.describe('Which points of the Art. 33(3) notice and the Art. 34 communication the record holds.')),
    })
    .register(z.globalRegistry, { id: 'Incident' }),
);

export const incidentList = lazySchema(() =>
  z.object({ incidents: z.array(incidentView()).check(z.describe('Newest awareness first.')) }).register(z.globalRegistry, { id: 'IncidentList' }),
);

export const incidentExport = lazySchema(() =>
  z
    .object({
      exportedAt: z.iso.datetime(),
      incident: incidentView(),
      pseudonyms: z.array(z.string()).check(z.describe('Audit pseudonyms of the subjects the scope found (never ids).')),
    })
    .register(z.globalRegistry, { id: 'IncidentExport' }),
);

export const incidentCsvSchema = lazySchema(() => z.string().check(z.describe('`field,value` rows of the record, then one row per pseudonym (RFC 4180).')));
