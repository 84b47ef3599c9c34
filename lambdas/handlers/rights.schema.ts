import * as z from 'zod/mini';
import { lazySchema } from '../http/route-definition';
import { EVIDENCE_ACTIONS, REQUEST_STATUSES, REQUEST_TYPES } from '../domain/rights';
import { ACK_OUTCOMES, ACKED_ACTIONS } from '../domain/recipient-acks';
import { RECIPIENT_IDS } from '../recipients';

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

/** One recipient's part of an erasure or export, as a request shows it (`recipientViews` in domain/recipient-acks.ts). */
export const recipientProgressView = lazySchema(() =>
  z
    .object({
      recipient: z.enum(RECIPIENT_IDS).check(z.describe('The recipient id (lambdas/recipients.ts).')),
      name: z.string().check(z.describe('How the recipient is named to the subject.')),
      action: z.enum(ACKED_ACTIONS).check(z.describe('delete (erasure) or provide-part (export).')),
      status: z
        .enum(['pending', 'acknowledged', 'overdue', 'failed'])
        .check(
          z.describe(
            'pending: told, not answered, within its deadline; acknowledged: answered done or nothing_found; overdue: not ' +
              'acknowledged and past answerBy; failed: answered failed (it may still answer done).',
          ),
        ),
      outcome: z.optional(z.enum(ACK_OUTCOMES)).check(z.describe('What the recipient answered, once it did.')),
      answerBy: z.string().check(z.describe('YYYY-MM-DD: its deadline; overdue from the day after.')),
      acknowledgedAt: z.optional(z.iso.datetime()),
      counts: z.optional(z.record(z.string(), z.int())).check(z.describe('What it deleted or exported, by kind, as it reported.')),
      reason: z
        .optional(z.string())
        .check(z.describe("Administrators only, while the request is open: a failed recipient's own words (free text).")),
    })
    .register(z.globalRegistry, { id: 'RecipientProgress' }),
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
      status: z
        .optional(z.enum(['awaiting_recipients', 'completed']))
        .check(z.describe('The certificate (GET /v1/erasure-receipts): whether the erasure still waits for a recipient.')),
      recipients: z
        .optional(z.array(recipientProgressView()))
        .check(
          z.describe(
            'The certificate (GET /v1/erasure-receipts): per recipient told, what it answered, when, with which counts. ' +
              '`completedAt` and `steps` are this backend\'s own stores.',
          ),
        ),
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
      recipients: z
        .optional(z.array(recipientProgressView()))
        .check(
          z.describe(
            'Erasure and export: each recipient told (Art. 19) and where its answer stands. The request stays ' +
              '`awaiting_recipients` until every one is acknowledged, or an admin completes it after their deadlines.',
          ),
        ),
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
    .object({
      url: z.url(),
      expiresAt: z.iso.datetime(),
      format: z.enum(['json', 'csv']),
      parts: z
        .optional(z.array(z.object({ recipient: z.string(), name: z.string(), url: z.url() })))
        .check(
          z.describe(
            "The recipients' parts of the export (JSON, as each recipient uploaded it), each with its own link valid as long as `url`.",
          ),
        ),
    })
    .register(z.globalRegistry, { id: 'DownloadLink' }),
);
