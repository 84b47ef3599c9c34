/**
 * The REQUEST authorizer with DynamoDB faked at the SDK edge: which tokens become a principal, when the idle expiry slides,
 * and that a failed slide (a session deleted by a concurrent logout) does not turn into an error.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { hashToken } from '../../lambdas/domain/sessions';

process.env.SESSIONS_TABLE_NAME = 'unit-sessions';
process.env.SESSION_IDLE_SECONDS = '3600';

const dynamo = mockClient(DynamoDBDocumentClient);
// Loaded after the environment is set: the table name and idle window are read at module scope.
const { handler } = require('../../lambdas/handlers/authorizer') as typeof import('../../lambdas/handlers/authorizer');

const token = 'A'.repeat(43);
const methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:api123/prod/GET/v1/me';
const nowSeconds = () => Math.floor(Date.now() / 1000);

function authEvent(overrides: Partial<APIGatewayRequestAuthorizerEvent> = {}): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn,
    headers: { Authorization: `Bearer ${token}` },
    requestContext: { requestId: 'corr-1' },
    ...overrides,
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

function session(extra: Record<string, unknown> = {}) {
  const now = nowSeconds();
  return { tokenHash: hashToken(token), subjectId: 'sub-1', roles: ['subject', 'admin'], expiresAt: now + 600, idleExpiresAt: now + 60, ...extra };
}

beforeEach(() => dynamo.reset());

describe('authorizer', () => {
  it('refuses a request without headers or request context before reading any session', async () => {
    await expect(handler(authEvent({ headers: null, requestContext: undefined } as never))).rejects.toThrow('Unauthorized');
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('refuses an unknown token and an idle-expired session', async () => {
    dynamo.on(GetCommand).resolvesOnce({}).resolvesOnce({ Item: session({ idleExpiresAt: nowSeconds() - 1 }) });
    await expect(handler(authEvent())).rejects.toThrow('Unauthorized');
    await expect(handler(authEvent())).rejects.toThrow('Unauthorized');
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('slides the idle expiry of a session never used, capped at its absolute end, and reports no login time it lacks', async () => {
    const item = session();
    dynamo.on(GetCommand, { TableName: 'unit-sessions', Key: { tokenHash: hashToken(token) } }).resolves({ Item: item });
    dynamo.on(UpdateCommand).resolves({});
    const result = await handler(authEvent({ headers: { authorization: `Bearer ${token}` } }));
    expect(result.principalId).toBe('sub-1');
    expect(result.context).toEqual({ subjectId: 'sub-1', roles: 'subject,admin', sessionId: hashToken(token), authTime: '0' });
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow', Resource: 'arn:aws:execute-api:eu-west-1:123456789012:api123/prod/*/*' });
    const [update] = dynamo.commandCalls(UpdateCommand);
    expect(update.args[0].input.ConditionExpression).toBe('attribute_exists(tokenHash)');
    // idle window 3600 s, but the session ends in 600 s: the idle expiry never outlives it
    expect(update.args[0].input.ExpressionAttributeValues?.[':idle']).toBe(item.expiresAt);
  });

  it('still authorizes when the slide loses to a concurrent logout', async () => {
    dynamo.on(GetCommand).resolves({ Item: session({ createdAt: '2026-11-28T12:00:00.000Z' }) });
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'gone', $metadata: {} }));
    const result = await handler(authEvent());
    expect(result.context?.authTime).toBe(String(Date.parse('2026-11-28T12:00:00.000Z') / 1000));
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('does not write for a session used in the last few minutes', async () => {
    dynamo.on(GetCommand).resolves({ Item: session({ lastUsedAt: new Date(Date.now() - 60_000).toISOString() }) });
    await handler(authEvent());
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('writes again once the last use is older than the touch interval', async () => {
    dynamo.on(GetCommand).resolves({ Item: session({ lastUsedAt: new Date(Date.now() - 301_000).toISOString() }) });
    dynamo.on(UpdateCommand).resolves({});
    await handler(authEvent());
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(1);
  });
});
