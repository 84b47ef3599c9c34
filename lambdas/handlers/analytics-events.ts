import { randomUUID } from 'node:crypto';
import { DynamoAnalyticsStore } from '../adapters/dynamo-consent';
import { KmsPseudonyms } from '../adapters/kms-pseudonyms';
import { analyticsEventsRoute } from './analytics-events.route';
import { requireEnv } from '../shared/env';
import { httpRoute } from '../shared/http';
import { kms } from '../shared/kms';
import { keyEnvVar } from '../shared/resources';
import { declaredStores } from '../shared/stores';

const table = declaredStores(analyticsEventsRoute).table('analyticsEvents');
const pseudonymKeyId = requireEnv(keyEnvVar('pseudonymKey'));
const RETENTION_DAYS = 90;

/**
 * The seed's tracking middleware, made real: the consent gate (purpose `analytics`, mode `drop`) answers 204 and stores
 * nothing without consent, so this handler only runs for subjects who granted it. Events are keyed by an analytics-only
 * pseudonym, not the subject id, and expire after 90 days.
 */
export const handler = httpRoute(analyticsEventsRoute, async ({ principal, body, audit }) => {
  const analyticsId = await new KmsPseudonyms(kms, pseudonymKeyId).mac('analytics', principal.subjectId);
  const expiresAt = Math.floor(Date.now() / 1000) + RETENTION_DAYS * 86_400;
  await new DynamoAnalyticsStore(table, audit!).putAll(
    principal.subjectId,
    body.events.map((e) => ({ analyticsId, sk: `${e.at}#${randomUUID()}`, name: e.name, properties: e.properties ?? {}, at: e.at, expiresAt })),
  );
  return { status: 204 };
});
