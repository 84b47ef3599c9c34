import { SESSION_FIELDS, touches } from '../http/route-definition';

/** The Lambda authorizer, declared like a route so its grants and audit follow the same rules. */
export const authorizerFunction = {
  id: 'authorizer',
  handler: 'authorizer',
  personalData: [touches('sessions', ['read', 'write'], [...SESSION_FIELDS])],
} as const;
