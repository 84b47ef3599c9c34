/**
 * SDK errors that name what they were about. An AWS error says `ResourceNotFoundException: Requested resource not found`
 * but not which table, queue or key; the operator needs that to fix a wrong name or a missing grant. A middleware on the
 * CLI's clients notes the call's resource on any error it throws (`fmnResource`), and cli/fmn.ts prints it.
 *
 * Resource names are physical names, URLs and key ids: no personal data.
 */

interface Stackable {
  readonly middlewareStack: {
    add: (
      middleware: (next: (args: { input: unknown }) => Promise<unknown>) => (args: { input: unknown }) => Promise<unknown>,
      options: { step: 'initialize'; name: string; override: boolean },
    ) => void;
  };
}

/** The table(s), queue, key or bucket one call's input names. */
export function resourceOf(input: unknown): string | undefined {
  if (!input || typeof input !== 'object') return undefined;
  const i = input as Record<string, unknown>;
  for (const field of ['TableName', 'QueueUrl', 'KeyId', 'Bucket', 'StackName'] as const) {
    if (typeof i[field] === 'string') return i[field];
  }
  const tables = new Set<string>();
  if (Array.isArray(i.TransactItems)) {
    for (const item of i.TransactItems as Record<string, { TableName?: unknown }>[]) {
      for (const op of Object.values(item)) if (typeof op?.TableName === 'string') tables.add(op.TableName);
    }
  }
  if (i.RequestItems && typeof i.RequestItems === 'object') for (const name of Object.keys(i.RequestItems)) tables.add(name);
  return tables.size > 0 ? [...tables].join(', ') : undefined;
}

/** Adds the middleware to a client (idempotent: it replaces itself); returns the client. */
export function nameResourcesOnErrors<C>(client: C): C {
  (client as unknown as Stackable).middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const resource = resourceOf(args.input);
        if (resource && error && typeof error === 'object' && !('fmnResource' in error)) Object.assign(error, { fmnResource: resource });
        throw error;
      }
    },
    { step: 'initialize', name: 'fmnNameResourceOnError', override: true },
  );
  return client;
}

/** Instruments the DynamoDB and KMS clients the handlers' modules share (commands instrument the SQS clients they use). */
export async function nameResourcesOnSharedClients(): Promise<void> {
  nameResourcesOnErrors((await import('../lambdas/runtime/clients')).dynamodb);
  nameResourcesOnErrors((await import('../lambdas/runtime/kms')).kms);
}
