/**
 * The purpose catalogue and the access export describe each purpose from one builder: the export's part can never say
 * something the catalogue does not.
 */
import { allPurposes, purposeForAccessExport, purposeSummary } from '../../lambdas/purpose-summary';
import { PURPOSE_IDS, policyHash } from '../../lambdas/purposes';

it('gives the access export exactly the catalogue\'s basis, categories, recipients, retention and policy version', () => {
  for (const id of PURPOSE_IDS) {
    const full = purposeSummary(id);
    expect(purposeForAccessExport(id)).toEqual({
      id,
      title: full.title,
      lawfulBasis: full.lawfulBasis,
      categories: full.categories,
      recipients: full.recipients,
      retention: full.retention,
      policy: { version: full.policy.version, sha256: policyHash(id) },
    });
  }
});

it('lists every purpose in declaration order', () => {
  expect(allPurposes(purposeSummary).map((p) => p.id)).toEqual([...PURPOSE_IDS]);
});
