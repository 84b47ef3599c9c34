/**
 * The accounts wiring: a route gets the KMS-backed helpers it declared and fails loudly (naming the route, not the data) on
 * first use of one it did not; per-request objects are built lazily, once per request, fresh for the next request.
 */
import { KmsSubjectKeyring } from '../../lambdas/adapters/kms-keyring';
import { KmsPseudonyms } from '../../lambdas/adapters/kms-pseudonyms';
import { touches } from '../../lambdas/routes';

process.env.USERS_TABLE_NAME = 'unit-users';
process.env.SUBJECT_KEYS_TABLE_NAME = 'unit-subject-keys';
process.env.DATA_KEY_ID = 'alias/unit-data';
process.env.PSEUDONYM_KEY_ID = 'alias/unit-pseudonyms';

const { accountsContext } = require('../../lambdas/wiring/accounts') as typeof import('../../lambdas/wiring/accounts');

const personalData = [touches('users', ['read'], ['subjectId']), touches('subjectKeys', ['read'], ['subjectId'])];

describe('accountsContext', () => {
  it('refuses, on first use, the subject keyring and pseudonyms of a route that declares no crypto', () => {
    const deps = accountsContext({ id: 'plainRoute', personalData })(undefined);

    expect(() => deps.keyring).toThrow('plainRoute uses subject keys without declaring it');
    expect(() => deps.pseudonyms).toThrow('plainRoute uses pseudonyms without declaring it');
  });

  it('gives only what was declared: subject keys without pseudonyms', () => {
    const deps = accountsContext({ id: 'keysOnly', personalData, crypto: ['subjectKeys'] })(undefined);

    expect(deps.keyring).toBeInstanceOf(KmsSubjectKeyring);
    expect(() => deps.pseudonyms).toThrow('keysOnly uses pseudonyms without declaring it');
  });

  it('builds each helper once per request, and fresh for the next request (unwrapped keys never outlive a request)', () => {
    const perRequest = accountsContext({ id: 'both', personalData, crypto: ['subjectKeys', 'pseudonyms'] });
    const first = perRequest(undefined);
    const second = perRequest(undefined);

    expect(first.pseudonyms).toBeInstanceOf(KmsPseudonyms);
    expect(first.keyring).toBe(first.keyring);
    expect(first.accounts).toBe(first.accounts);
    expect(second.keyring).not.toBe(first.keyring);
    expect(second.accounts).not.toBe(first.accounts);
  });

  it('fails at cold start, naming the variable, when a declared key is not configured', () => {
    const saved = process.env.PSEUDONYM_KEY_ID;
    delete process.env.PSEUDONYM_KEY_ID;
    try {
      expect(() => accountsContext({ id: 'misdeployed', personalData, crypto: ['pseudonyms'] })).toThrow('PSEUDONYM_KEY_ID');
    } finally {
      process.env.PSEUDONYM_KEY_ID = saved;
    }
  });
});
