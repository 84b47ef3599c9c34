import { accountFacts, exportDocument } from '../../lambdas/domain/export-document';

const account = { roles: ['subject'], createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-02-01T00:00:00.000Z' };

describe('accountFacts', () => {
  it('gives the retention state of the account: last activity, the inactivity notice and a legal hold with its reason', () => {
    const facts = accountFacts({
      ...account,
      passwordHash: 'scrypt$…',
      lastActiveAt: '2026-03-01T10:00:00.000Z',
      inactivityNoticeAt: '2028-03-01T10:00:00.000Z',
      inactivityErasureAt: '2028-03-31T10:00:00.000Z',
      legalHold: { reason: 'Case 2026-17', at: '2028-03-05T09:00:00.000Z' },
    });

    expect(facts).toEqual({
      roles: ['subject'],
      hasPassword: true,
      createdAt: account.createdAt,
      updatedAt: account.updatedAt,
      lastActiveAt: '2026-03-01T10:00:00.000Z',
      inactivityNotice: { noticeAt: '2028-03-01T10:00:00.000Z', erasureFrom: '2028-03-31T10:00:00.000Z' },
      legalHold: { reason: 'Case 2026-17', at: '2028-03-05T09:00:00.000Z' },
    });
    // the hash says a password is set; it is never handed out
    expect(JSON.stringify(facts)).not.toContain('scrypt');
  });

  it('says null, not nothing, where there is no activity, notice or hold, so the JSON shows the question was answered', () => {
    const facts = accountFacts(account);

    expect(facts).toMatchObject({ hasPassword: false, lastActiveAt: null, inactivityNotice: null, legalHold: null });
    const json = JSON.parse(JSON.stringify(exportDocument({ requestId: 'r', kind: 'export', generatedAt: 'now', subjectId: 's', data: { account: facts } })));
    expect(json.data.account).toHaveProperty('legalHold', null);
  });
});
