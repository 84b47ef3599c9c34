import * as z from 'zod/mini';
import { pathParameters, queryParameters, requestModelSchema } from '../../lib/api-models';

describe('request models from zod schemas', () => {
  it('keeps the shape (types, required, lengths, no extra properties) and drops regex and format checks', () => {
    const schema = z
      .strictObject({
        email: z.email().check(z.maxLength(254)),
        pattern: z.string().check(z.regex(/^[a-z]+$/), z.minLength(2)),
        nested: z.optional(z.strictObject({ format: z.string() })),
        note: z.optional(z.nullable(z.string())),
      })
      .register(z.globalRegistry, { id: 'Example' });
    expect(requestModelSchema(schema)).toEqual({
      type: 'object',
      properties: {
        email: { type: 'string', maxLength: 254 },
        // property names that happen to be keywords are kept
        pattern: { type: 'string', minLength: 2 },
        nested: { type: 'object', properties: { format: { type: 'string' } }, required: ['format'], additionalProperties: false },
        note: { type: ['string', 'null'] },
      },
      required: ['email', 'pattern'],
      additionalProperties: false,
    });
  });

  it('inlines schemas with ids instead of referring to definitions the gateway cannot resolve', () => {
    const address = z.object({ city: z.string() }).register(z.globalRegistry, { id: 'Address' });
    const json = JSON.stringify(requestModelSchema(z.object({ home: address, work: address })));
    expect(json).not.toContain('$ref');
    expect(json).not.toContain('definitions');
  });

  it('lists path parameters and query parameters with whether they are required', () => {
    expect(pathParameters('/v1/me/consents/{purpose}/{rest+}')).toEqual(['purpose', 'rest']);
    expect(queryParameters(z.object({ page: z.string(), limit: z.optional(z.string()) }))).toEqual({ page: true, limit: false });
    expect(queryParameters(undefined)).toEqual({});
  });
});
