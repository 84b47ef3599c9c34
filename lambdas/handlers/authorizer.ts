import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { bearerToken, hashToken, isSessionLive, type SessionRecord } from '../domain/sessions';
import { dynamodb } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { logger } from '../shared/logger';
import { tableEnvVar } from '../shared/resources';

const sessionsTable = requireEnv(tableEnvVar('sessions'));

/**
 * REST API REQUEST authorizer: a session token becomes a principal (subject id, roles, session id) in the request context.
 * Throwing 'Unauthorized' makes API Gateway answer 401; the local server does the same with this very function.
 * The policy covers the whole API so the gateway's short result cache works across routes.
 */
export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const header = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  const token = bearerToken(header ?? undefined);
  if (!token) throw new Error('Unauthorized');
  const tokenHash = hashToken(token);
  const { Item } = await dynamodb.send(new GetCommand({ TableName: sessionsTable, Key: { tokenHash } }));
  const session = Item as SessionRecord | undefined;
  if (!session || !isSessionLive(session, Math.floor(Date.now() / 1000))) {
    logger.info('session refused');
    throw new Error('Unauthorized');
  }
  return {
    principalId: session.subjectId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: wholeApiArn(event.methodArn) }],
    },
    context: { subjectId: session.subjectId, roles: session.roles.join(','), sessionId: tokenHash.slice(0, 16) },
  };
}

/** arn:aws:execute-api:region:account:apiId/stage/METHOD/path → arn:…:apiId/stage/*\/* */
function wholeApiArn(methodArn: string): string {
  const [prefix, stage] = methodArn.split('/');
  return `${prefix}/${stage}/*/*`;
}
