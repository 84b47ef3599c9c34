/**
 * `fmn requests list|approve|reject|extend|complete`: the admin routes' work on rights requests, from an operator's shell.
 *
 * Same route declarations, domain functions and adapters as lambdas/handlers/admin-requests.ts and
 * admin-request-action.ts, the same input schemas, and the same audit entries: the actor is the operator's command
 * (`system:command:<route id>`, role `system`) instead of an admin's pseudonym.
 */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type * as z from 'zod/mini';
import { EVIDENCE_ACTIONS, REQUEST_STATUSES, REQUEST_TYPES, type RequestStatus, type RequestType, type RightsRequest } from '../../lambdas/domain/rights';
import type { AuditOwner } from '../../lambdas/wiring/audit';
import { completeBody, extendBody, rejectBody, requestIdParams } from '../../lambdas/handlers/rights.schema';
import { nameResourcesOnErrors } from '../aws-errors';
import {
  commandGroup,
  confirm,
  globalOptions,
  UsageError,
  withExamples,
  withSafetyRails,
  type CliContext,
  type GlobalOptions,
  type Io,
  type SafetyOptions,
} from '../command';
import { note, printRecord, printRows, type Column } from '../output';
import { useTarget, type TargetNeeds } from '../target';

const NEEDS: TargetNeeds = { tables: ['rightsRequests', 'audit'], keys: ['pseudonymKey'] };

/** What the admin API answers for a request: its view plus the subject id (or `erased#<pseudonym>`). */
type AdminRequestView = Record<string, unknown> & { requestId: string; type: string; status: string; dueAt: string; subjectId: string };

const COLUMNS: readonly Column<AdminRequestView>[] = [
  { header: 'request id', value: (r) => r.requestId },
  { header: 'type', value: (r) => r.type },
  { header: 'status', value: (r) => r.status },
  { header: 'mode', value: (r) => r.mode },
  { header: 'received', value: (r) => String(r.receivedAt ?? '').slice(0, 10) },
  { header: 'due', value: (r) => r.dueAt },
  { header: 'extended', value: (r) => (r.extension ? 'yes' : '') },
];

/** Validates with the route's own schema; the first issue becomes the one-line usage error. */
function parse<T>(schema: z.ZodMiniType<T>, input: unknown, flag: (path: string) => string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new UsageError(`${flag(String(issue.path[0] ?? ''))}: ${issue.message}`);
}

const requestId = (id: string) => parse(requestIdParams, { requestId: id }, () => 'request id').requestId;

export function registerRequests(program: Command, { io }: CliContext): void {
  const requests = commandGroup(program, 'requests', 'Data-subject rights requests: list, approve, reject, extend, complete.');
  withExamples(requests, ['fmn requests list --local --overdue', 'fmn requests approve 6f1c…-uuid --local']);

  withExamples(
    requests
      .command('list')
      .description('Open requests (or those in a status), oldest due first.')
      .option('--status <status>', `only this status (${REQUEST_STATUSES.join(', ')}); default: the open ones`)
      .option('--type <type>', `only this type (${REQUEST_TYPES.join(', ')})`)
      .option('--overdue', 'only those past their due date')
      .action(async (options: { status?: string; type?: string; overdue?: boolean }, command: Command) => {
        if (options.status !== undefined && !(REQUEST_STATUSES as readonly string[]).includes(options.status)) {
          throw new UsageError(`--status must be one of ${REQUEST_STATUSES.join(', ')}`);
        }
        if (options.type !== undefined && !(REQUEST_TYPES as readonly string[]).includes(options.type)) {
          throw new UsageError(`--type must be one of ${REQUEST_TYPES.join(', ')}`);
        }
        const global = globalOptions(command);
        await useTarget(global, NEEDS);
        const listed = await listRequests({ status: options.status as RequestStatus | undefined, type: options.type as RequestType | undefined, overdue: options.overdue === true });
        printRows(io, global.json, listed, COLUMNS);
        note(io, `${listed.length} request(s)`);
      }),
    ['fmn requests list --local', 'fmn requests list --local --overdue --json', 'fmn requests list --status failed --type erasure --profile prod'],
  );

  withExamples(
    withSafetyRails(
      requests
        .command('approve')
        .description('Approve a manual (or failed) request: queue it for the workers. An erasure asks first (--yes skips).')
        .argument('<request-id>', 'the request\'s id (a UUID)'),
    ).action(async (id: string, options: SafetyOptions, command: Command) => act(io, globalOptions(command), 'approve', requestId(id), {}, options)),
    ['fmn requests approve 6f1c…-uuid --local --dry-run', 'fmn requests approve 6f1c…-uuid --stage prod --yes'],
  );

  withExamples(
    requests
      .command('reject')
      .description('Reject a request with a reason the subject sees.')
      .argument('<request-id>', 'the request\'s id (a UUID)')
      .requiredOption('--reason <text>', 'why (3–500 characters; the subject reads it: no personal data)')
      .option('--dry-run', 'say what would be done, and change nothing')
      .action(async (id: string, options: { reason: string } & SafetyOptions, command: Command) => {
        const body = parse(rejectBody, { reason: options.reason }, (p) => `--${p}`);
        await act(io, globalOptions(command), 'reject', requestId(id), body, options);
      }),
    ['fmn requests reject 6f1c…-uuid --reason "Manifestly unfounded: duplicate of an answered request" --local'],
  );

  withExamples(
    requests
      .command('extend')
      .description('Extend the deadline once, by one or two months, with a reason the subject sees (Art. 12(3)).')
      .argument('<request-id>', 'the request\'s id (a UUID)')
      .requiredOption('--months <1|2>', 'how many months to add to the original due date')
      .requiredOption('--reason <text>', 'why (3–500 characters; the subject reads it)')
      .option('--dry-run', 'say what would be done, and change nothing')
      .action(async (id: string, options: { months: string; reason: string } & SafetyOptions, command: Command) => {
        const months = /^[12]$/.test(options.months) ? Number(options.months) : NaN;
        if (Number.isNaN(months)) throw new UsageError('--months must be 1 or 2');
        const body = parse(extendBody, { months, reason: options.reason }, (p) => `--${p}`);
        await act(io, globalOptions(command), 'extend', requestId(id), body, options);
      }),
    ['fmn requests extend 6f1c…-uuid --months 2 --reason "Complex request across several systems" --local'],
  );

  withExamples(
    requests
      .command('complete')
      .description('Complete a request handled by hand (e.g. a rectification), with a note the subject sees and what was done where.')
      .argument('<request-id>', 'the request\'s id (a UUID)')
      .requiredOption('--note <text>', 'what was done (3–1000 characters; the subject reads it)')
      .requiredOption(
        '--evidence <where:action[:detail]>',
        `what was done in one system (repeat per system); action is one of ${EVIDENCE_ACTIONS.join(', ')}`,
        (value: string, previous: string[] = []) => [...previous, value],
      )
      .option('--dry-run', 'say what would be done, and change nothing')
      .action(async (id: string, options: { note: string; evidence: string[] } & SafetyOptions, command: Command) => {
        const evidence = options.evidence.map((line) => {
          const [where = '', action = '', ...detail] = line.split(':');
          return { where: where.trim(), action: action.trim(), ...(detail.length > 0 ? { detail: detail.join(':').trim() } : {}) };
        });
        const body = parse(completeBody, { note: options.note, evidence }, (p) => `--${p}`);
        await act(io, globalOptions(command), 'complete', requestId(id), body, options);
      }),
    ['fmn requests complete 6f1c…-uuid --note "Corrected the postal address as asked" --evidence "CRM:corrected:ticket 4711" --local'],
  );
}

/** A fresh audit trail for one command run, acting as the system on the operator's behalf. */
async function commandTrail(route: AuditOwner) {
  const { auditTrails } = await import('../../lambdas/wiring/audit');
  return auditTrails(route, 'command')!({ actorRole: 'system', correlationId: randomUUID() });
}

/** The admin list route's query, run by the operator: each listed subject gets a read entry on their own chain. */
export async function listRequests(filter: { status?: RequestStatus; type?: RequestType; overdue: boolean }): Promise<AdminRequestView[]> {
  const { OPEN_STATUSES } = await import('../../lambdas/domain/rights');
  const { adminRequestsRoute } = await import('../../lambdas/routes');
  const { requestView } = await import('../../lambdas/domain/rights');
  const { rightsContext } = await import('../../lambdas/wiring/rights');
  const audit = await commandTrail(adminRequestsRoute);
  const { requests } = rightsContext(adminRequestsRoute)(audit);
  const today = new Date().toISOString().slice(0, 10);
  const found: RightsRequest[] = [];
  try {
    for (const status of filter.status ? [filter.status] : OPEN_STATUSES) {
      found.push(...(await requests.listByStatus(status, filter.overdue ? today : undefined)));
    }
  } catch (error) {
    await audit.flushReads('failure');
    throw error;
  }
  const listed = found.filter((r) => !filter.type || r.type === filter.type).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  for (const r of listed) if (!r.subjectId.startsWith('erased#')) audit.noteRead(r.subjectId, ['rightsRequests.status', 'rightsRequests.type']);
  // Before anything is shown: if the audit write fails, the listing fails, as on the route.
  await audit.flushReads('success');
  return listed.map((r) => ({ ...requestView(r, { admin: true }), subjectId: r.subjectId }) as AdminRequestView);
}

type Action = 'approve' | 'reject' | 'extend' | 'complete';

/** What an action does, in words for the confirmation and the dry run. */
const WHAT: Record<Action, (r: RightsRequest) => string> = {
  approve: (r) =>
    r.type === 'erasure'
      ? `approve erasure request ${r.requestId} (${r.status} → queued): the workers erase the subject's account and data, which cannot be undone`
      : `approve ${r.type} request ${r.requestId} (${r.status} → queued) for the workers`,
  reject: (r) => `reject ${r.type} request ${r.requestId} (${r.status} → rejected)`,
  extend: (r) => `extend the deadline of ${r.type} request ${r.requestId} (due ${r.dueAt})`,
  complete: (r) => `complete ${r.type} request ${r.requestId} (${r.status} → completed)`,
};

async function act(io: Io, global: GlobalOptions, action: Action, id: string, body: unknown, safety: SafetyOptions = {}): Promise<void> {
  // The action routes all declare the queue (approve sends to it), so their context wants its URL for each of them.
  const target = await useTarget(global, { ...NEEDS, queues: ['rightsRequestQueue'] });
  const routes = await import('../../lambdas/routes');
  const { adminAction } = await import('../../lambdas/handlers/admin-request-action');
  const actions = await import('../../lambdas/domain/rights-requests');
  nameResourcesOnErrors((await import('../../lambdas/wiring/rights')).sqsClient());
  const route = {
    approve: routes.approveRequestRoute,
    reject: routes.rejectRequestRoute,
    extend: routes.extendRequestRoute,
    complete: routes.completeRequestRoute,
  }[action];
  let dryRunOf: RightsRequest | undefined;
  // The route's own action, behind the rails: read once, refuse or ask, then act (or only say what it would do).
  const guarded: Parameters<typeof adminAction>[1] = async (deps, request, actionBody) => {
    if (action === 'approve' && request.type === 'rectification') {
      // Rectification has no worker: a person corrects the data, then completes the request.
      throw new UsageError(`request ${request.requestId} is a rectification: correct the data by hand, then run fmn requests complete ${request.requestId} --note "…" --evidence "…"`);
    }
    if (safety.dryRun) {
      dryRunOf = request;
      return request;
    }
    if (action === 'approve' && request.type === 'erasure') await confirm(io, `${WHAT.approve(request)} on ${target.description}`, safety.yes);
    return (actions[action] as Parameters<typeof adminAction>[1])(deps, request, actionBody);
  };
  const run = adminAction(route, guarded);
  const audit = await commandTrail(route);
  const { body: answer } = await run(id, body, audit).catch(async (error: unknown) => {
    await audit.flushReads('failure');
    throw error;
  });
  await audit.flushReads('success');
  const view = answer as AdminRequestView;
  if (dryRunOf) {
    printRecord(io, global.json, { dryRun: true, wouldDo: WHAT[action](dryRunOf), requestId: view.requestId, type: view.type, status: view.status });
    note(io, 'dry run: nothing was changed');
    return;
  }
  printRecord(io, global.json, global.json ? view : { requestId: view.requestId, type: view.type, status: view.status, dueAt: view.dueAt, extension: view.extension });
}
