/**
 * The purpose catalogue and the access export describe each purpose from one builder: the export's part can never say
 * something the catalogue does not. The export says more about recipients (Art. 15(1)(c)): what each receives and where
 * it goes, from the same declarations.
 */
import { HOSTING_PROCESSOR, allPurposes, purposeForAccessExport, purposeSummary } from '../../lambdas/purpose-summary';
import { PURPOSE_IDS, policyHash, purposeOf } from '../../lambdas/purposes';
import { categoriesReceived, dataReceivedFor, fieldName, recipientOf, transfersInWords } from '../../lambdas/recipients';

it('gives the access export exactly the catalogue\'s basis, categories, recipients, retention and policy version', () => {
  for (const id of PURPOSE_IDS) {
    const full = purposeSummary(id);
    const exported = purposeForAccessExport(id);
    expect(exported).toEqual({
      id,
      title: full.title,
      lawfulBasis: full.lawfulBasis,
      categories: full.categories,
      recipients: expect.any(Array),
      retention: full.retention,
      policy: { version: full.policy.version, sha256: policyHash(id) },
    });
    expect(exported.recipients.map((r) => r.name)).toEqual(full.recipients);
  }
});

it('names each declared recipient of a purpose, then the hosting processor, in the catalogue', () => {
  expect(purposeSummary('marketing-email').recipients).toEqual([recipientOf('email-provider').name, HOSTING_PROCESSOR]);
  expect(purposeSummary('analytics').recipients).toEqual([HOSTING_PROCESSOR]);
});

it('tells the subject, per recipient, what it receives for the purpose and where it goes, from the declarations', () => {
  for (const id of PURPOSE_IDS) {
    const declared = purposeForAccessExport(id).recipients.slice(0, -1);
    expect(declared).toHaveLength(purposeOf(id).recipients.length);
    purposeOf(id).recipients.forEach((r, i) => {
      expect(declared[i]).toEqual({
        name: recipientOf(r).name,
        kind: recipientOf(r).kind,
        data: dataReceivedFor(r, id).map(fieldName),
        categories: categoriesReceived(r, id),
        transfers: transfersInWords(r),
      });
    });
  }
  const [provider] = purposeForAccessExport('marketing-email').recipients;
  expect(provider).toMatchObject({ data: ['email'], categories: ['contact'], transfers: expect.stringMatching(/^United States, safeguard: standard contractual clauses/) });
});

it('lists every purpose in declaration order', () => {
  expect(allPurposes(purposeSummary).map((p) => p.id)).toEqual([...PURPOSE_IDS]);
});
