/**
 * The route table's index. Every endpoint's declaration (handler, who may call it, its request and response schemas, the
 * personal data it touches and the purpose it processes for) lives beside its handler in `lambdas/handlers/<handler>.route.ts`;
 * this module gathers them. The API stack, the local server, the OpenAPI document and the data docs are all built from this
 * list, so what runs locally and what is deployed cannot drift.
 *
 * Workers and the authorizer are listed here too: they touch personal data as much as routes do.
 *
 * No function imports this module (a unit test checks the bundles): a handler imports only its own `<handler>.route.ts`, so
 * it bundles, and builds at init, its own declaration and schemas and no other route's. The CDK app, the local server, the
 * generators, the CLI and the tests import it. The machinery (`defineRoute`, `touches`, the types, header constants, tags and
 * features) is in `http/route-definition.ts` and re-exported here for them.
 */
import { ACTIVITY_FIELDS, touches, withAudit, type RouteDefinition, type WorkerDefinition } from './http/route-definition';
import { adminAuditRoute } from './handlers/admin-audit.route';
import { adminAuditExportRoute } from './handlers/admin-audit-export.route';
import { adminConsentHistoryRoute } from './handlers/admin-consent-history.route';
import { adminConsentReceiptRoute } from './handlers/admin-consent-receipt.route';
import { adminConsentStatsRoute } from './handlers/admin-consent-stats.route';
import { adminSubjectRoute } from './handlers/admin-subject.route';
import { revealProfileFieldRoute } from './handlers/reveal-profile-field.route';
import { verifySubjectAuditRoute } from './handlers/verify-subject-audit.route';
import { adminDownloadRoute } from './handlers/admin-download-export.route';
import { adminRequestRoute } from './handlers/admin-request.route';
import { adminRecipientsRoute } from './handlers/admin-recipients.route';
import { adminOperationsRoute } from './handlers/admin-operations.route';
import { redriveQueueRoute } from './handlers/redrive-queue.route';
import { adminRequestsRoute } from './handlers/admin-requests.route';
import { analyticsEventsRoute } from './handlers/analytics-events.route';
import { approveRequestRoute } from './handlers/approve-request.route';
import { authorizerFunction } from './handlers/authorizer.route';
import { completeRequestRoute } from './handlers/complete-request.route';
import { consentHistoryRoute } from './handlers/consent-history.route';
import { createRequestRoute } from './handlers/create-request.route';
import { downloadRoute } from './handlers/download-export.route';
import { erasureReceiptRoute } from './handlers/erasure-receipt.route';
import { extendRequestRoute } from './handlers/extend-request.route';
import { fallbackRoute } from './handlers/fallback.route';
import { getMeRoute } from './handlers/get-me.route';
import { findSubjectRoute } from './handlers/find-subject.route';
import { healthRoute } from './handlers/health.route';
import { liftLegalHoldRoute } from './handlers/lift-legal-hold.route';
import { liftRestrictionRoute } from './handlers/lift-restriction.route';
import { listSessionsRoute } from './handlers/list-sessions.route';
import { loginRoute } from './handlers/login.route';
import { oidcLoginRoute } from './handlers/login-oidc.route';
import { logoutRoute } from './handlers/logout.route';
import { logoutEverywhereRoute } from './handlers/logout-everywhere.route';
import { myAuditRoute } from './handlers/my-audit.route';
import { myConsentsRoute } from './handlers/my-consents.route';
import { myRequestRoute } from './handlers/my-request.route';
import { myRequestsRoute } from './handlers/my-requests.route';
import { newsletterRoute } from './handlers/newsletter.route';
import { objectRoute } from './handlers/object.route';
import { openApiRoute } from './handlers/openapi.route';
import { patchMeRoute } from './handlers/patch-me.route';
import { purposesRoute } from './handlers/purposes.route';
import { recipientAckRoute } from './handlers/recipient-ack.route';
import { putConsentRoute } from './handlers/put-consent.route';
import { registerRoute } from './handlers/register.route';
import { reauthenticateRoute } from './handlers/reauthenticate.route';
import { rejectRequestRoute } from './handlers/reject-request.route';
import { restrictRoute } from './handlers/restrict.route';
import { rightsRequestWorker } from './handlers/rights-request-worker.route';
import { webhookDispatchers } from './handlers/webhook-dispatcher.route';
import { setLegalHoldRoute } from './handlers/set-legal-hold.route';
import { withdrawObjectionRoute } from './handlers/withdraw-objection.route';
import { createIncidentRoute } from './handlers/create-incident.route';
import { adminIncidentsRoute } from './handlers/admin-incidents.route';
import { adminIncidentRoute } from './handlers/admin-incident.route';
import { updateIncidentRoute } from './handlers/update-incident.route';
import { startIncidentScopeRoute } from './handlers/start-incident-scope.route';
import { exportIncidentRoute } from './handlers/export-incident.route';

export * from './http/route-definition';
export { adminAuditRoute };
export { adminAuditExportRoute };
export { adminConsentHistoryRoute };
export { adminConsentReceiptRoute };
export { adminConsentStatsRoute };
export { adminSubjectRoute };
export { revealProfileFieldRoute };
export { verifySubjectAuditRoute };
export { adminDownloadRoute };
export { adminRequestRoute };
export { adminRecipientsRoute };
export { adminOperationsRoute };
export { redriveQueueRoute };
export { adminRequestsRoute };
export { analyticsEventsRoute };
export { approveRequestRoute };
export { authorizerFunction };
export { completeRequestRoute };
export { consentHistoryRoute };
export { createRequestRoute };
export { downloadRoute };
export { erasureReceiptRoute };
export { extendRequestRoute };
export { fallbackRoute };
export { getMeRoute };
export { findSubjectRoute };
export { healthRoute };
export { liftLegalHoldRoute };
export { liftRestrictionRoute };
export { listSessionsRoute };
export { loginRoute };
export { oidcLoginRoute };
export { logoutRoute };
export { logoutEverywhereRoute };
export { myAuditRoute };
export { myConsentsRoute };
export { myRequestRoute };
export { myRequestsRoute };
export { newsletterRoute };
export { objectRoute };
export { openApiRoute };
export { patchMeRoute };
export { purposesRoute };
export { recipientAckRoute };
export { putConsentRoute };
export { registerRoute };
export { reauthenticateRoute };
export { rejectRequestRoute };
export { restrictRoute };
export { rightsRequestWorker };
export { setLegalHoldRoute };
export { withdrawObjectionRoute };
export { createIncidentRoute };
export { adminIncidentsRoute };
export { adminIncidentRoute };
export { updateIncidentRoute };
export { startIncidentScopeRoute };
export { exportIncidentRoute };

/** Every endpoint, in the order the OpenAPI document lists them. */
export const routes: readonly RouteDefinition[] = [
  healthRoute,
  openApiRoute,
  registerRoute,
  loginRoute,
  oidcLoginRoute,
  listSessionsRoute,
  logoutRoute,
  logoutEverywhereRoute,
  reauthenticateRoute,
  getMeRoute,
  patchMeRoute,
  myAuditRoute,
  adminAuditRoute,
  purposesRoute,
  myConsentsRoute,
  putConsentRoute,
  consentHistoryRoute,
  restrictRoute,
  liftRestrictionRoute,
  objectRoute,
  withdrawObjectionRoute,
  analyticsEventsRoute,
  newsletterRoute,
  createRequestRoute,
  myRequestsRoute,
  myRequestRoute,
  downloadRoute,
  erasureReceiptRoute,
  adminRequestsRoute,
  adminRequestRoute,
  adminDownloadRoute,
  approveRequestRoute,
  rejectRequestRoute,
  extendRequestRoute,
  completeRequestRoute,
  findSubjectRoute,
  recipientAckRoute,
  adminRecipientsRoute,
  adminOperationsRoute,
  redriveQueueRoute,
  setLegalHoldRoute,
  liftLegalHoldRoute,
  adminSubjectRoute,
  adminConsentHistoryRoute,
  adminConsentReceiptRoute,
  adminConsentStatsRoute,
  revealProfileFieldRoute,
  adminAuditExportRoute,
  verifySubjectAuditRoute,
  createIncidentRoute,
  adminIncidentsRoute,
  adminIncidentRoute,
  updateIncidentRoute,
  startIncidentScopeRoute,
  exportIncidentRoute,
];

/** The ops command that creates admin accounts (scripts/create-admin.ts): never reachable through the API. */
export const createAdminCommand = withAudit({
  id: 'createAdmin',
  personalData: [
    touches('identities', ['write'], ['identityKey', 'subjectId', 'kind', 'createdAt']),
    touches('users', ['write'], ['subjectId', 'emailIndex', 'profile', 'passwordHash', 'roles', 'createdAt', 'updatedAt', ...ACTIVITY_FIELDS, 'secondFactor']),
    touches('subjectKeys', ['write'], ['subjectId', 'wrappedKey', 'createdAt']),
    touches('sessions', ['write', 'delete'], ['tokenHash', 'subjectId']),
  ],
  crypto: ['subjectKeys', 'pseudonyms'],
  purpose: 'account',
} as const satisfies Pick<RouteDefinition, 'id' | 'personalData' | 'crypto' | 'purpose'>);

export const workers: readonly WorkerDefinition[] = [rightsRequestWorker, ...webhookDispatchers];
