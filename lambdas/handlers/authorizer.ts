import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { checkSession } from '../domain/sessions';
import { authorizerFunction } from './authorizer.route';
import { logger } from '../runtime/logger';
import { authorizerContext } from '../wiring/authorizer';

const { sessions, idleSeconds } = authorizerContext(authorizerFunction);

/**
 * REST API REQUEST authorizer: a session token becomes a principal (subject id, roles, session) in the request context.
 * Throwing 'Unauthorized' makes API Gateway answer 401; the local server does the same with this very function.
 * The policy covers the whole API so the gateway's short result cache works across routes.
 */
export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  logger.appendKeys({ correlationId: event.requestContext?.requestId ?? 'unknown' });
  const header = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  if (!header) throw new Error('Unauthorized');
  const principal = await checkSession({ sessions, idleSeconds, now: () => new Date() }, header);
  if (!principal) {
    logger.info('session refused');
    throw new Error('Unauthorized');
  }
  return {
    principalId: principal.subjectId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: wholeApiArn(event.methodArn) }],
    },
    context: {
      subjectId: principal.subjectId,
      roles: principal.roles.join(','),
      sessionId: principal.sessionId,
      // When this session's login happened: sensitive changes on password-less accounts need a recent one.
      authTime: String(principal.authTime),
    },
  };
}

/** arn:aws:execute-api:region:account:apiId/stage/METHOD/path → arn:…:apiId/stage/*\/* */
function wholeApiArn(methodArn: string): string {
  const [prefix, stage] = methodArn.split('/');
  return `${prefix}/${stage}/*/*`;
}
