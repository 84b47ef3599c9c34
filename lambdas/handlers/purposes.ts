import { categoriesOf } from '../purpose-categories';
import { PURPOSE_IDS, policyHash, purposeOf } from '../purposes';
import { purposesRoute } from './purposes.route';
import { httpRoute } from '../shared/http';

// The catalogue is code: computed once per cold start.
const catalogue = PURPOSE_IDS.map((id) => {
  const p = purposeOf(id);
  return {
    id,
    title: p.title,
    description: p.description,
    lawfulBasis: p.lawfulBasis,
    required: p.required,
    objectable: p.objectable ?? false,
    policy: { version: p.policy.version, sha256: policyHash(id), text: p.policy.text },
    consentValidDays: p.consentValidDays,
    categories: categoriesOf(id),
    retention: p.retention,
    recipients: [...p.recipients],
    continuesUnderRestriction: p.continuesUnderRestriction,
  };
});

export const handler = httpRoute(purposesRoute, async () => ({ body: { purposes: catalogue } }));
