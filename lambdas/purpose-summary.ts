/**
 * What we tell people about a processing purpose, built in one place from its declaration (`purposes.ts`) and the data
 * map: the purpose catalogue route answers with it, and an access export (Art. 15) carries the part of it that says why
 * and how the subject's data is processed.
 */
import { categoriesOf } from './purpose-categories';
import { PURPOSE_IDS, policyHash, purposeOf, type PurposeId } from './purposes';
import { categoriesReceived, fieldName, recipientOf, transfersInWords } from './recipients';

/** The processor behind every purpose: the stores, functions and logs of this backend run on AWS. */
export const HOSTING_PROCESSOR = 'Amazon Web Services (hosting, processor)';

/** The recipients of a purpose by name, as the catalogue lists them (Art. 13(1)(e)): the declared ones, then the host. */
const recipientNames = (id: PurposeId): string[] => [...purposeOf(id).recipients.map((r) => recipientOf(r).name), HOSTING_PROCESSOR];

/**
 * What an access report tells the subject about each recipient of a purpose (Art. 15(1)(c), and (2) for transfers): who
 * it is, what kind of recipient, which of the subject's data it receives for this purpose, and where that data goes.
 * Built from the recipient declarations, so it names exactly what the fan-out sends them.
 */
export function recipientsForAccessExport(id: PurposeId) {
  return [
    ...purposeOf(id).recipients.map((r) => {
      const declared = recipientOf(r);
      const data = declared.receives.filter((x) => x.purpose === id).flatMap((x) => x.data.map(fieldName));
      return { name: declared.name, kind: declared.kind, data: [...new Set(data)], categories: categoriesReceived(r, id), transfers: transfersInWords(r) };
    }),
    { name: HOSTING_PROCESSOR, kind: 'processor', data: ['everything stored for this purpose'], categories: categoriesOf(id), transfers: 'none: the region this backend is deployed in' },
  ];
}

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
    recipients: recipientNames(id),
    continuesUnderRestriction: p.continuesUnderRestriction,
  };
}

/** The summary an access export gives of each purpose: its basis, categories, recipients, retention and policy version. */
export function purposeForAccessExport(id: PurposeId) {
  const { title, lawfulBasis, categories, retention, policy } = purposeSummary(id);
  return {
    id,
    title,
    lawfulBasis,
    categories,
    recipients: recipientsForAccessExport(id),
    retention,
    policy: { version: policy.version, sha256: policy.sha256 },
  };
}

/** Every purpose, in declaration order. */
export const allPurposes = <T>(summarise: (id: PurposeId) => T): T[] => PURPOSE_IDS.map(summarise);
