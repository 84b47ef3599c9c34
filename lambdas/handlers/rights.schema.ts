import * as z from 'zod/mini';
import { lazySchema } from '../http/route-definition';
import { EVIDENCE_ACTIONS, REQUEST_STATUSES, REQUEST_TYPES } from '../domain/rights';

export const requestIdParams = z.strictObject({ requestId: z.uuid() });

const evidenceLine = () =>
  z.object({
    where: z.string().check(z.describe('The system or store, as the officer names it (`CRM`, `billing database`).')),
    action: z.enum(EVIDENCE_ACTIONS),
    detail: z.optional(z.string()).check(z.describe('How, with which reference; replaced at erasure like every admin note.')),
  });

const statusChange = lazySchema(() =>
  z.object({
    status: z.enum(REQUEST_STATUSES),
    at: z.iso.datetime(),
    by: z.string(),
    note: z.optional(z.string()),
    evidence: z.optional(z.array(evidenceLine())).check(z.describe('On a completion by hand: what was done where.')),
  }),
);
const erasureStep = lazySchema(() =>
  z.object({ store: z.string(), action: z.enum(['deleted', 'pseudonymised', 'kept', 'shredded']), count: z.int(), at: z.iso.datetime() }),
);

export const erasureReceipt = lazySchema(() =>
  z
    .object({
      requestId: z.uuid(),
      completedAt: z.iso.datetime(),
      steps: z.array(erasureStep()),
      verification: z.object({ ok: z.boolean(), storesChecked: z.array(z.string()), at: z.iso.datetime() }),
      backupsAgeOutBy: z.iso.datetime(),
      note: z.string(),
    })
    .register(z.globalRegistry, { id: 'ErasureReceipt' }),
);

export const requestView = lazySchema(() =>
  z
    .object({
      requestId: z.uuid(),
      type: z.enum(REQUEST_TYPES),
      status: z.enum(REQUEST_STATUSES),
      mode: z.enum(['automatic', 'manual']),
      receivedAt: z.iso.datetime(),
      dueAt: z.string().check(z.describe('YYYY-MM-DD: the answer is due by the end of this day (UTC).')),
      originalDueAt: z.string(),
      extension: z.optional(z.object({ dueAt: z.string(), months: z.int(), reason: z.string(), at: z.iso.datetime() })),
      history: z.array(statusChange()),
      fields: z.optional(z.array(z.string())),
      downloadable: z.boolean(),
      receipt: z.optional(erasureReceipt()),
      origin: z
        .optional(z.enum(['retention']))
        .check(z.describe('Who filed it, when not you: `retention` for an erasure the retention job filed for an inactive account.')),
      expiresAt: z
        .optional(z.int())
        .check(z.describe('Epoch seconds, once the request is completed or rejected: when this record, kept as proof of the answer, is deleted.')),
    })
    .register(z.globalRegistry, { id: 'RightsRequest' }),
);

export const adminRequestView = lazySchema(() =>
  z
    .extend(requestView(), { subjectId: z.string().check(z.describe('The subject id, or erased#<pseudonym> after erasure.')) })
    .register(z.globalRegistry, { id: 'AdminRightsRequest' }),
);
export const rejectBody = z
  .strictObject({ reason: z.string().check(z.trim(), z.minLength(3), z.maxLength(500)) })
  .register(z.globalRegistry, { id: 'RejectRequest' });
export const extendBody = z
  .strictObject({ months: z.union([z.literal(1), z.literal(2)]), reason: z.string().check(z.trim(), z.minLength(3), z.maxLength(500)) })
  .register(z.globalRegistry, { id: 'ExtendRequest' });
export const completeBody = z
  .strictObject({
    note: z.string().check(z.trim(), z.minLength(3), z.maxLength(1000), z.describe('What was done, for the subject to read.')),
    evidence: z
      .array(
        z.strictObject({
          where: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
          action: z.enum(EVIDENCE_ACTIONS),
          detail: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500))),
        }),
      )
      .check(z.minLength(1), z.maxLength(20), z.describe('What was done where, one entry per system: required, so a request is never closed by hand without it.')),
  })
  .register(z.globalRegistry, { id: 'CompleteRequest' });

export const receiptHeaders = z.object({ 'x-receipt-token': z.string() });

/** The format of an export download (the subject's route and the admin's). */
export const downloadQuery = z.strictObject({ format: z.optional(z.enum(['json', 'csv'])) });

export const downloadLink = lazySchema(() =>
  z
    .object({ url: z.url(), expiresAt: z.iso.datetime(), format: z.enum(['json', 'csv']) })
    .register(z.globalRegistry, { id: 'DownloadLink' }),
);
