/**
 * An account correction writes only the attributes corrections own. The retention job, the legal hold and logins write
 * other attributes of the same users item without changing `updatedAt`; a whole-item write racing them would put back
 * what it had read before (a lifted hold, a cleared inactivity notice).
 */
import { accountCorrectionUpdate } from '../../lambdas/adapters/dynamo-accounts';
import type { UserRecord } from '../../lambdas/domain/accounts';

const previous = {
  subjectId: '3f0c6d1e-5b7a-4c1d-9e2f-0a1b2c3d4e5f',
  emailIndex: 'old-index',
  profile: 'sealed-old',
  passwordHash: 'scrypt$4$8$1$salt$hash',
  roles: ['subject'],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  lastActiveAt: '2026-01-02T00:00:00.000Z',
  activityMonth: '2026-01',
  inactivityNoticeAt: '2026-02-01T00:00:00.000Z',
  legalHold: { reason: 'litigation', at: '2026-02-02T00:00:00.000Z' },
} as UserRecord;

/** Every attribute name an update expression touches, resolved through its name placeholders. */
function touched(update: ReturnType<typeof accountCorrectionUpdate>): string[] {
  return (update.UpdateExpression.match(/#\w+/g) ?? []).map((placeholder) => update.ExpressionAttributeNames[placeholder]);
}

describe('accountCorrectionUpdate', () => {
  it('sets the corrected fields and leaves activity, notice, hold and creation time alone', () => {
    const next = { ...previous, emailIndex: 'new-index', profile: 'sealed-new', updatedAt: '2026-03-01T00:00:00.000Z' };

    const update = accountCorrectionUpdate('users', previous, next);

    expect(touched(update).sort()).toEqual(['emailIndex', 'passwordHash', 'profile', 'roles', 'updatedAt']);
    expect(update.UpdateExpression).not.toMatch(/REMOVE/);
    expect(update.ExpressionAttributeValues).toMatchObject({ ':profile': 'sealed-new', ':emailIndex': 'new-index' });
    expect(JSON.stringify(update)).not.toMatch(/legalHold|litigation|inactivityNoticeAt|lastActiveAt|activityMonth|createdAt/);
  });

  it('is conditional on the version it read and on the account still existing', () => {
    const update = accountCorrectionUpdate('users', previous, { ...previous, updatedAt: '2026-03-01T00:00:00.000Z' });

    expect(update.ConditionExpression).toBe('attribute_exists(subjectId) AND updatedAt = :previous');
    expect(update.ExpressionAttributeValues[':previous']).toBe(previous.updatedAt);
    expect(update.ExpressionAttributeValues[':updatedAt']).toBe('2026-03-01T00:00:00.000Z');
    expect(update.Key).toEqual({ subjectId: previous.subjectId });
  });

  it('removes a field the correction dropped (a password taken away)', () => {
    const { passwordHash: _dropped, ...withoutPassword } = previous;

    const update = accountCorrectionUpdate('users', previous, { ...withoutPassword, updatedAt: '2026-03-01T00:00:00.000Z' });

    expect(update.UpdateExpression).toMatch(/ REMOVE #passwordHash$/);
    expect(update.ExpressionAttributeValues).not.toHaveProperty(':passwordHash');
  });
});
