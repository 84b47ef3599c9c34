import { DynamoRetentionStore } from '../adapters/dynamo-retention';
import { SubjectNotFoundError } from '../domain/retention';
import { liftLegalHoldRoute } from './lift-legal-hold.route';
import { dynamodb } from '../shared/clients';
import { httpRoute } from '../shared/http';
import { declaredStores } from '../shared/stores';

const stores = declaredStores(liftLegalHoldRoute);

/** Lift a legal hold: retention applies again from the next run of the job, starting with a fresh notice. Audited. */
export const handler = httpRoute(liftLegalHoldRoute, async ({ params, audit }) => {
  const store = new DynamoRetentionStore(dynamodb, { users: stores.table('users') }, audit);
  if (!(await store.liftHold(params.subjectId))) throw new SubjectNotFoundError();
  return { body: { subjectId: params.subjectId, retentionErasure: 'none' as const } };
});
