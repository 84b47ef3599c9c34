/**
 * What we tell people about a processing purpose, built in one place from its declaration (`purposes.ts`) and the data
 * map: the purpose catalogue route answers with it, and an access export (Art. 15) carries the part of it that says why
 * and how the subject's data is processed.
 */
import { categoriesOf } from './purpose-categories';
import { PURPOSE_IDS, policyHash, purposeOf, type PurposeId } from './purposes';

export function purposeSummary(id: PurposeId) {
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
}

/** The summary an access export gives of each purpose: its basis, categories, recipients, retention and policy version. */
export function purposeForAccessExport(id: PurposeId) {
  const { title, lawfulBasis, categories, recipients, retention, policy } = purposeSummary(id);
  return { id, title, lawfulBasis, categories, recipients, retention, policy: { version: policy.version, sha256: policy.sha256 } };
}

/** Every purpose, in declaration order. */
export const allPurposes = <T>(summarise: (id: PurposeId) => T): T[] => PURPOSE_IDS.map(summarise);
