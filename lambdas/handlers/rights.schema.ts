import * as z from 'zod';
import { REQUEST_STATUSES, REQUEST_TYPES } from '../domain/rights';

export const requestIdParams = z.strictObject({ requestId: z.uuid() });

const statusChange = z.object({ status: z.enum(REQUEST_STATUSES), at: z.iso.datetime(), by: z.string(), note: z.string().optional() });
const erasureStep = z.object({ store: z.string(), action: z.enum(['deleted', 'pseudonymised', 'kept', 'shredded']), count: z.number().int(), at: z.iso.datetime() });

export const erasureReceipt = z
  .object({
    requestId: z.uuid(),
    completedAt: z.iso.datetime(),
    steps: z.array(erasureStep),
    verification: z.object({ ok: z.boolean(), storesChecked: z.array(z.string()), at: z.iso.datetime() }),
    backupsAgeOutBy: z.iso.datetime(),
    note: z.string(),
  })
  .meta({ id: 'ErasureReceipt' });

export const requestView = z
  .object({
    requestId: z.uuid(),
    type: z.enum(REQUEST_TYPES),
    status: z.enum(REQUEST_STATUSES),
    mode: z.enum(['automatic', 'manual']),
    receivedAt: z.iso.datetime(),
    dueAt: z.string().describe('YYYY-MM-DD: the answer is due by the end of this day (UTC).'),
    originalDueAt: z.string(),
    extension: z.object({ dueAt: z.string(), months: z.number().int(), reason: z.string(), at: z.iso.datetime() }).optional(),
    history: z.array(statusChange),
    fields: z.array(z.string()).optional(),
    downloadable: z.boolean(),
    receipt: erasureReceipt.optional(),
    origin: z.enum(['retention']).optional().describe('Who filed it, when not you: `retention` for an erasure the retention job filed for an inactive account.'),
    expiresAt: z
      .number()
      .int()
      .optional()
      .describe('Epoch seconds, once the request is completed or rejected: when this record, kept as proof of the answer, is deleted.'),
  })
  .meta({ id: 'RightsRequest' });

export const adminRequestView = requestView.extend({ subjectId: z.string().describe('The subject id, or erased#<pseudonym> after erasure.') }).meta({ id: 'AdminRightsRequest' });
export const rejectBody = z.strictObject({ reason: z.string().trim().min(3).max(500) }).meta({ id: 'RejectRequest' });
export const extendBody = z
  .strictObject({ months: z.union([z.literal(1), z.literal(2)]), reason: z.string().trim().min(3).max(500) })
  .meta({ id: 'ExtendRequest' });
export const completeBody = z.strictObject({ note: z.string().trim().min(3).max(1000) }).meta({ id: 'CompleteRequest' });

export const receiptHeaders = z.object({ 'x-receipt-token': z.string() });
