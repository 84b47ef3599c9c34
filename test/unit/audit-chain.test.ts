import { GENESIS_HASH, dayOf, entryHash, sealEntry, verifyChain, type AuditEntry } from '../../lambdas/domain/audit';

function chain(length: number, chainId = 'subject#abc'): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const at = new Date(Date.UTC(2026, 10, 28, 12, 0, seq)).toISOString();
    const entry = sealEntry({
      chainId,
      seq,
      entryId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
      at,
      day: dayOf(at),
      actorId: 'subject:abc',
      actorRole: 'subject',
      action: seq === 1 ? 'create' : 'read',
      subjectPseudonym: 'abc',
      purpose: 'account',
      categories: ['contact'],
      fields: ['users.profile'],
      outcome: 'success',
      correlationId: `req-${seq}`,
      origin: 'route:getMe',
      prevHash,
      expiresAt: 2_000_000_000,
    });
    prevHash = entry.hash;
    entries.push(entry);
  }
  return entries;
}

const headOf = (entries: AuditEntry[]) => ({ seq: entries.at(-1)!.seq, hash: entries.at(-1)!.hash });

describe('verifyChain', () => {
  it('accepts an intact chain and reports what it checked', () => {
    const entries = chain(5);
    expect(verifyChain('subject#abc', entries, headOf(entries))).toEqual({
      chainId: 'subject#abc',
      checked: 5,
      firstSeq: 1,
      lastSeq: 5,
      ok: true,
      firstBreak: undefined,
    });
  });

  it('hashes content deterministically and covers every content field', () => {
    const [entry] = chain(1);
    const { hash, ...content } = entry;
    expect(entryHash(content)).toBe(hash);
    for (const [field, value] of Object.entries({ action: 'update', fields: ['users.roles'], outcome: 'failure', expiresAt: 1, prevHash: 'f'.repeat(64) })) {
      expect(entryHash({ ...content, [field]: value } as typeof content)).not.toBe(hash);
    }
  });

  it('finds an edited entry', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2], fields: ['users.passwordHash'] };
    expect(verifyChain('subject#abc', entries, headOf(entries)).firstBreak).toMatchObject({ seq: 3, reason: 'content-changed' });
  });

  it('finds an edit that recomputed the entry hash, at the next link', () => {
    const entries = chain(5);
    const { hash: _old, ...content } = { ...entries[2], purpose: 'marketing' };
    entries[2] = sealEntry(content);
    expect(verifyChain('subject#abc', entries, headOf(chain(5))).firstBreak).toMatchObject({ seq: 4, reason: 'link-broken' });
  });

  it('finds a deleted entry in the middle', () => {
    const entries = chain(5);
    const head = headOf(entries);
    entries.splice(2, 1);
    expect(verifyChain('subject#abc', entries, head).firstBreak).toMatchObject({ seq: 3, reason: 'missing-entry' });
  });

  it('finds a truncated tail through the head record', () => {
    const entries = chain(5);
    const head = headOf(entries);
    expect(verifyChain('subject#abc', entries.slice(0, 4), head).firstBreak).toMatchObject({ seq: 5, reason: 'head-mismatch' });
  });

  it('finds reordered entries', () => {
    const entries = chain(5);
    const swapped = [entries[0], { ...entries[2], seq: 2 }, { ...entries[1], seq: 3 }, entries[3], entries[4]];
    expect(verifyChain('subject#abc', swapped, headOf(entries)).firstBreak?.seq).toBe(2);
    const outOfOrder = [entries[0], entries[2], entries[1], entries[3], entries[4]];
    expect(verifyChain('subject#abc', outOfOrder, headOf(entries)).ok).toBe(false);
  });

  it('finds an entry moved in from another chain', () => {
    const entries = chain(3);
    entries[1] = chain(3, 'subject#other')[1];
    expect(verifyChain('subject#abc', entries).firstBreak).toMatchObject({ seq: 2, reason: 'out-of-order' });
  });

  it('anchors on the oldest surviving entry when earlier ones expired by retention', () => {
    const entries = chain(6).slice(2);
    const report = verifyChain('subject#abc', entries, headOf(entries));
    expect(report).toMatchObject({ ok: true, firstSeq: 3, checked: 4 });
  });

  it('requires the first entry of a chain to start from the genesis hash', () => {
    const entries = chain(2);
    const { hash: _h, ...content } = { ...entries[0], prevHash: 'a'.repeat(64) };
    entries[0] = sealEntry(content);
    expect(verifyChain('subject#abc', entries).firstBreak).toMatchObject({ seq: 1, reason: 'link-broken' });
  });
  it('finds an entry repeated with the same seq', () => {
    const entries = chain(3);
    const repeated = [entries[0], entries[1], entries[1], entries[2]];
    expect(verifyChain('subject#abc', repeated).firstBreak).toMatchObject({ seq: 2, reason: 'out-of-order', detail: 'seq 2 follows 2' });
  });

  it('checks links only when there is no head record, and accepts a head of an empty chain', () => {
    const entries = chain(3).slice(0, 2);
    expect(verifyChain('subject#abc', entries)).toMatchObject({ ok: true, checked: 2, lastSeq: 2 });
    expect(verifyChain('subject#abc', [], { seq: 0, hash: GENESIS_HASH })).toMatchObject({ ok: true, checked: 0 });
  });

  it('finds every entry gone when the head records some', () => {
    const head = headOf(chain(3));
    expect(verifyChain('subject#abc', [], head)).toMatchObject({ ok: false, checked: 0, firstBreak: { seq: 3, reason: 'head-mismatch' } });
  });

  it('finds entries beyond the head, or a last entry the head does not match, at the head seq', () => {
    const entries = chain(5);
    expect(verifyChain('subject#abc', entries, headOf(entries.slice(0, 3))).firstBreak).toMatchObject({ seq: 3, reason: 'head-mismatch' });
    expect(verifyChain('subject#abc', entries, { seq: 5, hash: 'f'.repeat(64) }).firstBreak).toMatchObject({ seq: 5, reason: 'head-mismatch' });
  });
});
