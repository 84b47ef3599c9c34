import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { bearerToken, hashToken, isSessionLive, type SessionRecord } from '../domain/sessions';
import { authorizerFunction } from './authorizer.route';
import { dynamodb } from '../shared/clients';
import { intEnv } from '../shared/env';
import { logger } from '../shared/logger';
import { declaredStores } from '../shared/stores';

const sessionsTable = declaredStores(authorizerFunction).table('sessions');
const idleSeconds = intEnv('SESSION_IDLE_SECONDS', 24 * 60 * 60);
/** Sliding the idle expiry on every request would be a write per request; a few minutes' precision is enough. */
const TOUCH_AFTER_SECONDS = 300;

/**
 * REST API REQUEST authorizer: a session token becomes a principal (subject id, roles, session) in the request context.
 * Throwing 'Unauthorized' makes API Gateway answer 401; the local server does the same with this very function.
 * The policy covers the whole API so the gateway's short result cache works across routes.
 */
export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  logger.appendKeys({ correlationId: event.requestContext?.requestId ?? 'unknown' });
  const header = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  const token = bearerToken(header ?? undefined);
  if (!token) throw new Error('Unauthorized');
  const tokenHash = hashToken(token);
  const { Item } = await dynamodb.send(new GetCommand({ TableName: sessionsTable, Key: { tokenHash }, ConsistentRead: true }));
  const session = Item as (SessionRecord & { lastUsedAt?: string }) | undefined;
  const now = Math.floor(Date.now() / 1000);
  if (!session || !isSessionLive(session, now)) {
    logger.info('session refused');
    throw new Error('Unauthorized');
  }
  const lastUsed = session.lastUsedAt ? Math.floor(Date.parse(session.lastUsedAt) / 1000) : 0;
  if (now - lastUsed >= TOUCH_AFTER_SECONDS) {
    await dynamodb.send(
      new UpdateCommand({
        TableName: sessionsTable,
        Key: { tokenHash },
        UpdateExpression: 'SET lastUsedAt = :used, idleExpiresAt = :idle',
        // Never resurrect a session deleted by a concurrent logout.
        ConditionExpression: 'attribute_exists(tokenHash)',
        ExpressionAttributeValues: { ':used': new Date(now * 1000).toISOString(), ':idle': Math.min(now + idleSeconds, session.expiresAt) },
      }),
    ).catch(() => undefined);
  }
  return {
    principalId: session.subjectId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: wholeApiArn(event.methodArn) }],
    },
    context: {
      subjectId: session.subjectId,
      roles: session.roles.join(','),
      sessionId: tokenHash,
      // When this session's login happened: sensitive changes on password-less accounts need a recent one.
      authTime: String(Math.floor(Date.parse((session as { createdAt?: string }).createdAt ?? '') / 1000) || 0),
    },
  };
}

/** arn:aws:execute-api:region:account:apiId/stage/METHOD/path → arn:…:apiId/stage/*\/* */
function wholeApiArn(methodArn: string): string {
  const [prefix, stage] = methodArn.split('/');
  return `${prefix}/${stage}/*/*`;
}
