/**
 * Carries out one queued rights request: export, access or erasure. Idempotent and resumable: a request already finished
 * is skipped, and an erasure records each step as it completes, so a crash (or a redelivery) continues after the last one.
 */
import type { AuditTrail } from '../adapters/dynamo-audit';
import { DynamoRetentionStore } from '../adapters/dynamo-retention';
import { DynamoRightsStore } from '../adapters/dynamo-rights';
import { forgetSubjectKey, KmsSubjectKeyring } from '../adapters/kms-keyring';
import { forgetPseudonyms, KmsPseudonyms } from '../adapters/kms-pseudonyms';
import { SubjectData } from '../adapters/subject-data';
import { consentView, type ConsentState, type ConsentTopic } from '../domain/consent';
import { accountFacts, exportDocument, SUBJECT_RIGHTS, toCsv } from '../domain/export-document';
import type { RightsRequest, ErasureStep } from '../domain/rights';
import { retentionErasureStop } from '../domain/retention';
import { BACKUP_RETENTION_DAYS, ERASURE_ORDER, ERASURE_PLAN } from '../erasure-plan';
import { inventory, type AppStoreId, type StoreId } from '../inventory';
import { allPurposes, purposeForAccessExport } from '../purpose-summary';
import { rightsRequestWorker } from '../handlers/rights-request-worker.route';
import { dynamodb } from './clients';
import { requireEnv } from './env';
import { kms } from './kms';
import { logger } from './logger';
import { bucketEnvVar, keyEnvVar } from './resources';
import { requestView } from './rights-context';
import { s3 } from './s3';
import { declaredStores } from './stores';

const stores = declaredStores(rightsRequestWorker);
const bucket = requireEnv(bucketEnvVar('exports'));
const dataKeyId = requireEnv(keyEnvVar('dataKey'));
const pseudonymKeyId = requireEnv(keyEnvVar('pseudonymKey'));
/** SQS redrive: the fifth failed receive is the last before the DLQ. */
const LAST_RECEIVE = 5;

/**
 * Fault injection for resilience tests and game days: `FMN_FAULT_AFTER_ERASURE_STEP=<store>[,<store>…]` makes the worker
 * fail once per request right after recording each of those steps, as a crash would. Unset in every deployment.
 */
const faultAfter = new Set((process.env.FMN_FAULT_AFTER_ERASURE_STEP ?? '').split(',').filter(Boolean));
const faulted = new Set<string>();

export class InjectedFaultError extends Error {
  constructor() {
    super('injected fault after an erasure step');
    this.name = 'InjectedFaultError';
  }
}

type RequestJob = { kind: 'export' | 'access' | 'erasure'; requestId: string };

export async function runRequestJob(job: RequestJob, audit: AuditTrail, meta: { receiveCount: number }): Promise<'done' | 'skipped'> {
  const requests = new DynamoRightsStore(dynamodb, stores.table('rightsRequests'), audit);
  let request = await requests.get(job.requestId);
  if (!request || request.type !== job.kind) {
    logger.warn('job for no such request', { kind: job.kind });
    return 'skipped';
  }
  // A duplicate delivery of a finished (or abandoned) request changes nothing.
  if (request.status === 'completed' || request.status === 'rejected' || request.status === 'failed') return 'skipped';
  // A retention erasure not started yet is stopped if the subject came back, restricted processing, or an admin placed a
  // legal hold since it was filed.
  if (request.origin === 'retention' && (request.status === 'verified' || request.status === 'queued')) {
    const account = await new DynamoRetentionStore(dynamodb, { users: stores.table('users'), consent: stores.table('consent') }).get(request.subjectId);
    const stop = account ? retentionErasureStop(account, request) : undefined;
    if (stop) {
      await requests.transition(request, 'rejected', { by: 'worker', note: stop }, new Date());
      return 'skipped';
    }
  }
  if (request.status === 'verified') request = await requests.transition(request, 'queued', { by: 'worker' }, new Date());
  if (request.status === 'queued') request = await requests.transition(request, 'in_progress', { by: 'worker' }, new Date());

  const data = new SubjectData({
    db: dynamodb,
    s3,
    table: (id) => stores.table(id),
    bucket,
    keyring: new KmsSubjectKeyring(kms, dynamodb, dataKeyId, stores.table('subjectKeys'), audit),
    pseudonyms: new KmsPseudonyms(kms, pseudonymKeyId),
  });
  try {
    if (request.type === 'erasure') await erase(request, requests, data);
    else await exportFor(request as RightsRequest & { type: 'export' | 'access' }, requests, data, audit);
    await audit.flushReads('success');
    return 'done';
  } catch (error) {
    await audit.flushReads('failure').catch(() => undefined);
    if (meta.receiveCount >= LAST_RECEIVE && !(error instanceof InjectedFaultError)) {
      // The message goes to the DLQ next; the request says so instead of staying "in progress" forever.
      const current = await requests.get(request.requestId);
      if (current?.status === 'in_progress') {
        await requests
          .transition(current, 'failed', { by: 'worker', note: 'Could not be completed automatically; an administrator will follow up.' }, new Date())
          .catch(() => undefined);
      }
    }
    throw error;
  }
}

// ---- export and access ----------------------------------------------------------------------------------------------

async function exportFor(
  request: RightsRequest & { type: 'export' | 'access' },
  requests: DynamoRightsStore,
  data: SubjectData,
  audit: AuditTrail,
): Promise<void> {
  const subjectId = request.subjectId;
  const user = await data.user(subjectId);
  const content = user ? await data.profile(user) : undefined;
  const consentItems = await data.consentItems(subjectId);
  const states = new Map<ConsentTopic, ConsentState>(
    consentItems.filter((i) => String(i.sk).startsWith('state#')).map((i) => [i.topic as ConsentTopic, i as ConsentState]),
  );
  const strip = <T extends Record<string, unknown>>(item: T, ...keys: string[]) =>
    Object.fromEntries(Object.entries(item).filter(([k]) => !keys.includes(k)));
  const now = new Date();
  const document = exportDocument({
    requestId: request.requestId,
    kind: request.type,
    generatedAt: now.toISOString(),
    subjectId,
    data: {
      account: user && {
        profile: content?.profile ?? null,
        sources: content?.sources ?? null,
        ...accountFacts(user),
      },
      identities: (await data.identities(subjectId)).map((i) => ({ kind: i.kind, createdAt: i.createdAt })),
      sessions: (await data.sessions(subjectId)).map((s) => strip(s, 'tokenHash', 'subjectId', 'roles')),
      consent: {
        current: consentView(states, now),
        history: consentItems.filter((i) => String(i.sk).startsWith('event#')).map((e) => strip(e, 'subjectId', 'sk')),
        preferences: consentItems.filter((i) => String(i.sk).startsWith('pref#')).map((p) => strip(p, 'subjectId')),
      },
      analyticsEvents: (await data.analyticsEvents(subjectId)).map((e) => ({ name: e.name, at: e.at, properties: e.properties })),
      rightsRequests: (await data.requests(subjectId)).map(requestView),
      accessLog: (await data.auditEntries(subjectId)).map((e) => ({
        at: e.at,
        action: e.action,
        actorRole: e.actorRole,
        purpose: e.purpose,
        categories: e.categories,
        fields: e.fields,
        origin: e.origin,
        outcome: e.outcome,
      })),
    },
    context:
      request.type === 'access'
        ? {
            purposes: allPurposes(purposeForAccessExport),
            stores: Object.fromEntries(
              (Object.keys(inventory) as StoreId[]).map((id) => [id, { description: inventory[id].description, retention: inventory[id].retention }]),
            ),
            rights: SUBJECT_RIGHTS,
          }
        : undefined,
  });
  const exportKeys = await data.putExport(request.requestId, JSON.stringify(document, null, 2), toCsv(document));
  await audit.transact([], { action: 'export', subjectId, fields: Object.keys(document.data).map((k) => `export.${k}`) });
  await requests.transition(request, 'completed', { by: 'worker' }, new Date(), { exportKeys });
}

// ---- erasure --------------------------------------------------------------------------------------------------------

async function erase(initial: RightsRequest, requests: DynamoRightsStore, data: SubjectData): Promise<void> {
  let request = initial;
  const subjectId = request.subjectId;
  const pseudonym = await new KmsPseudonyms(kms, pseudonymKeyId).subject(subjectId);

  // Before anything is deleted: what the verification must later search for, once the records holding it are gone.
  if (!request.pendingVerification) {
    const user = await data.user(subjectId);
    const identityKeys = (await data.identities(subjectId)).map((i) => i.identityKey as string);
    const next = { ...request, pendingVerification: { emailIndex: user?.emailIndex, identityKeys }, updatedAt: new Date().toISOString() };
    await requests.replace(request, next, ['rightsRequests.pendingVerification']);
    request = next;
  }

  const done = new Set((request.erasureSteps ?? []).map((s) => s.store));
  for (const store of ERASURE_ORDER) {
    if (done.has(store)) continue;
    const count = await eraseStore(store, subjectId, pseudonym, request, data);
    const rule = ERASURE_PLAN[store];
    const step: ErasureStep = {
      store,
      action: rule.action === 'delete' ? 'deleted' : rule.action === 'pseudonymise' ? 'pseudonymised' : rule.action === 'shred' ? 'shredded' : 'kept',
      count,
      at: new Date().toISOString(),
    };
    const next = { ...request, erasureSteps: [...(request.erasureSteps ?? []), step], updatedAt: step.at };
    // The step's record and its audit entry commit together: a crash after this line resumes at the next store.
    await requests.replace(request, next, [], { action: 'erase', subjectId, fields: [`${store}.*`] });
    request = next;
    if (faultAfter.has(store) && !faulted.has(`${request.requestId}:${store}`)) {
      faulted.add(`${request.requestId}:${store}`);
      throw new InjectedFaultError();
    }
  }
  // Every step is done (some perhaps by another container, before a redelivery): nothing cached here outlives it.
  forgetSubjectKey(subjectId);
  forgetPseudonyms();

  const leftovers = await data.leftovers(subjectId, request.pendingVerification!, request.requestId);
  if (leftovers.length > 0) {
    logger.error('erasure verification found data', { stores: leftovers });
    throw new Error(`erasure verification found data in ${leftovers.join(', ')}`);
  }
  const completedAt = new Date();
  const receipt = {
    requestId: request.requestId,
    completedAt: completedAt.toISOString(),
    steps: request.erasureSteps ?? [],
    verification: { ok: true, storesChecked: ERASURE_ORDER.filter((s) => ERASURE_PLAN[s].action !== 'keep'), at: completedAt.toISOString() },
    backupsAgeOutBy: new Date(completedAt.getTime() + BACKUP_RETENTION_DAYS * 86_400_000).toISOString(),
    note:
      'Your account and personal data are deleted; your data key is destroyed, so backups cannot be read either. Records of ' +
      'your consents and requests are kept only under a pseudonym, as proof. Audit entries never held your data.',
  };
  // Last: the request itself keeps only the pseudonym, and the search keys go.
  await requests.transition(request, 'completed', { by: 'worker' }, completedAt, {
    subjectId: `erased#${pseudonym}`,
    receipt,
    pendingVerification: undefined,
  });
}

async function eraseStore(store: AppStoreId, subjectId: string, pseudonym: string, request: RightsRequest, data: SubjectData): Promise<number> {
  switch (store) {
    case 'exports':
      return data.eraseExports(await data.requests(subjectId));
    case 'analyticsEvents':
      return data.eraseAnalytics(subjectId);
    case 'sessions':
      return data.eraseSessions(subjectId);
    case 'identities':
      return data.eraseIdentities(subjectId);
    case 'consent':
      return data.pseudonymiseConsent(subjectId, pseudonym);
    case 'rightsRequests':
      return data.pseudonymiseRequests(subjectId, pseudonym, request.requestId);
    case 'users':
      return data.eraseUser(subjectId);
    case 'subjectKeys':
      return data.shredKey(subjectId);
    case 'loginThrottle':
      return data.eraseThrottle(request.pendingVerification?.emailIndex);
    case 'audit':
    case 'rightsRequestQueue':
      return 0;
  }
}
