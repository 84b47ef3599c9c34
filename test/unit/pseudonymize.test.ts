/**
 * The pseudonymiser on realistic items of every table: no original personal value survives, joins across tables hold,
 * the same key gives the same output and another key another, non-personal fields are untouched, both dump formats, and
 * undeclared fields or unknown stores fail loudly.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { inventory, type StoreId } from '../../lambdas/inventory';
import { toAttribute, type PlainItem } from '../../ops/dump-lines';
import { OpsInputError } from '../../ops/errors';
import { loadPseudonymKey, parsePseudonymKey, PSEUDONYMIZE_KEY_ENV } from '../../ops/pseudonym-key';
import { PseudonymMapper } from '../../ops/pseudonym-mapper';
import {
  SYNTHETIC_PASSWORD,
  parseSyntheticProfile,
  pseudonymize,
  pseudonymizeItem,
  type PseudonymizeOptions,
} from '../../ops/pseudonymize';

const KEY = randomBytes(32);
const OTHER_KEY = randomBytes(32);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fmn-pseudo-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const b64url = (bytes = 32) => randomBytes(bytes).toString('base64url');
const hex64 = () => randomBytes(32).toString('hex');

/** One subject's items in every table, with values shaped like the real ones. */
function subjectItems() {
  const subjectId = randomUUID();
  const emailIndex = b64url();
  const oidcKey = b64url();
  const auditPseudonym = hex64();
  const analyticsId = b64url();
  const tokenHash = hex64();
  const clientKey = b64url();
  const items: { store: StoreId; item: PlainItem }[] = [
    {
      store: 'users',
      item: {
        subjectId,
        emailIndex,
        profile: `v1.${b64url(12)}.${b64url(90)}`,
        passwordHash: `scrypt$17$8$1$${b64url(16)}$${b64url(32)}`,
        roles: ['subject'],
        createdAt: '2026-01-02T03:04:05.678Z',
        updatedAt: '2026-02-03T04:05:06.789Z',
        legalHold: { reason: `Case of ${randomUUID().slice(0, 8)} v. Example Ltd`, at: '2026-02-04T00:00:00.000Z' },
      },
    },
    { store: 'identities', item: { identityKey: `email#${emailIndex}`, subjectId, kind: 'email' } },
    { store: 'identities', item: { identityKey: `oidc#${oidcKey}`, subjectId, kind: 'oidc' } },
    { store: 'subjectKeys', item: { subjectId, wrappedKey: b64url(180) } },
    {
      store: 'sessions',
      item: {
        tokenHash,
        subjectId,
        roles: ['subject'],
        deviceLabel: `Firefox ${randomUUID().slice(0, 6)} on Linux`,
        createdAt: '2026-03-01T10:00:00.000Z',
        lastUsedAt: '2026-03-01T11:00:00.000Z',
        idleExpiresAt: 1_772_400_000,
        expiresAt: 1_773_000_000,
      },
    },
    { store: 'loginThrottle', item: { counterKey: `account#${emailIndex}`, failures: 2, lockedUntil: 0 } },
    { store: 'loginThrottle', item: { counterKey: `client#${clientKey}`, failures: 1, lockedUntil: 0 } },
    {
      store: 'consent',
      item: {
        subjectId,
        sk: 'event#2026-03-01T10:00:00.000Z#analytics#1',
        topic: 'analytics',
        action: 'grant',
        seq: 1,
        eventId: randomUUID(),
        policyVersion: '2026-01',
        policyHash: hex64(),
        method: 'settings',
        at: '2026-03-01T10:00:00.000Z',
        clientId: 'web',
      },
    },
    { store: 'consent', item: { subjectId, sk: 'state#analytics', topic: 'analytics', lastAction: 'grant', seq: 1, at: '2026-03-01T10:00:00.000Z', method: 'settings' } },
    { store: 'consent', item: { subjectId, sk: 'pref#newsletter', subscribed: true, at: '2026-03-01T10:00:00.000Z' } },
    {
      store: 'analyticsEvents',
      item: { analyticsId, sk: `2026-03-01T10:00:00.000Z#${randomUUID()}`, name: 'screen.view', properties: { screen: 'home', ms: 12 }, at: '2026-03-01T10:00:00.000Z' },
    },
    {
      store: 'rightsRequests',
      item: {
        requestId: randomUUID(),
        subjectId,
        type: 'erasure',
        status: 'in-progress',
        receivedAt: '2026-03-02T00:00:00.000Z',
        history: [
          { status: 'received', at: '2026-03-02T00:00:00.000Z', by: 'subject' },
          { status: 'in-progress', at: '2026-03-03T00:00:00.000Z', by: 'admin', note: `Checked with Ms ${randomUUID().slice(0, 8)} of accounts` },
        ],
        extension: { dueAt: '2026-05-02', months: 1, reason: `Waiting on ${randomUUID().slice(0, 8)}'s reply`, at: '2026-03-03T00:00:00.000Z' },
        pendingVerification: { emailIndex, identityKeys: [`email#${emailIndex}`, `oidc#${oidcKey}`] },
      },
    },
    {
      store: 'audit',
      item: {
        chainId: `subject#${auditPseudonym}`,
        seq: 3,
        entryId: randomUUID(),
        at: '2026-03-01T10:00:00.000Z',
        day: '2026-03-01',
        subjectPseudonym: auditPseudonym,
        actorId: `subject:${auditPseudonym}`,
        actorRole: 'subject',
        action: 'read',
        purpose: 'account',
        categories: ['contact'],
        fields: ['users.profile.email'],
        outcome: 'success',
        correlationId: randomUUID(),
        origin: 'route:getMe',
        prevHash: hex64(),
        hash: hex64(),
        expiresAt: 1_800_000_000,
      },
    },
  ];
  return { subjectId, emailIndex, oidcKey, auditPseudonym, analyticsId, tokenHash, clientKey, items };
}

type Fields = Record<string, { personal: boolean }>;
const declared = (store: StoreId) => inventory[store].fields as Fields;

/** Every string a personal field holds, down to the leaves, and the part after a `prefix#`/`prefix:`. */
function personalStrings(store: StoreId, item: PlainItem): string[] {
  const out: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string') {
      out.push(value);
      const rest = /^[a-z]+[#:](.+)$/.exec(value)?.[1];
      if (rest) out.push(rest);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  for (const [name, value] of Object.entries(item)) {
    if (!declared(store)[name]?.personal) continue;
    const freeText = FREE_TEXT[`${store}.${name}`];
    if (!freeText) walk(value);
    else for (const member of [value].flat()) for (const key of freeText) walk((member as Record<string, unknown>)[key]);
  }
  return out;
}

/** Structured fields of which only the free text is personal (the statuses, dates and roles around it are kept). */
const FREE_TEXT: Record<string, readonly string[]> = {
  'users.legalHold': ['reason'],
  'rightsRequests.extension': ['reason'],
  'rightsRequests.history': ['note'],
};

/** Consent decisions are words from a fixed set: they are replaced by a keyed choice, not searched for as text. */
const ENUM_FIELDS = new Set(['consent.action', 'consent.lastAction', 'consent.subscribed']);

function writeJsonl(name: string, lines: readonly unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return path;
}

async function run(input: string, options: Partial<PseudonymizeOptions> = {}) {
  const output = join(dir, `out-${randomUUID()}.jsonl`);
  const result = await pseudonymize({ input, output, key: KEY, ...options });
  const text = readFileSync(output, 'utf8');
  return { result, text, lines: text.trim().split('\n').map((l) => JSON.parse(l) as { store: StoreId; item: PlainItem }) };
}

describe('pseudonymize a JSON-lines dump', () => {
  it('leaves no original personal value anywhere in the output', async () => {
    const subjects = [subjectItems(), subjectItems()];
    const all = subjects.flatMap((s) => s.items);
    const { text, result } = await run(writeJsonl('dump.jsonl', all));

    expect(result.lines).toBe(all.length);
    const originals = all.flatMap(({ store, item }) =>
      personalStrings(store, Object.fromEntries(Object.entries(item).filter(([k]) => !ENUM_FIELDS.has(`${store}.${k}`)))),
    );
    expect(originals.length).toBeGreaterThan(40);
    const survivors = originals.filter((value) => text.includes(value));
    expect(survivors).toEqual([]);
  });

  it('keeps joins: one subject id, blind index and audit pseudonym map to one pseudonym in every table', async () => {
    const s = subjectItems();
    const other = subjectItems();
    const { lines } = await run(writeJsonl('dump.jsonl', [...s.items, ...other.items]));
    const mine = lines.slice(0, s.items.length);
    const of = (store: StoreId) => mine.filter((l) => l.store === store).map((l) => l.item);

    const [user] = of('users');
    const subjectId = user!.subjectId as string;
    expect(subjectId).toMatch(UUID);
    expect(subjectId).not.toBe(s.subjectId);
    for (const store of ['identities', 'subjectKeys', 'sessions', 'consent', 'rightsRequests'] as const) {
      for (const item of of(store)) expect(item.subjectId).toBe(subjectId);
    }
    const emailIndex = user!.emailIndex as string;
    expect(of('identities').map((i) => i.identityKey)).toContain(`email#${emailIndex}`);
    expect(of('loginThrottle').map((i) => i.counterKey)).toContain(`account#${emailIndex}`);
    const request = of('rightsRequests')[0]!;
    expect(request.pendingVerification).toEqual({
      emailIndex,
      identityKeys: [`email#${emailIndex}`, of('identities').find((i) => i.kind === 'oidc')!.identityKey],
    });
    const [entry] = of('audit');
    expect(entry!.chainId).toBe(`subject#${entry!.subjectPseudonym as string}`);
    expect(entry!.actorId).toBe(`subject:${entry!.subjectPseudonym as string}`);
    // The other subject maps elsewhere: pseudonyms do not collapse.
    expect(lines[s.items.length]!.item.subjectId).not.toBe(subjectId);
  });

  it('keeps the shape of each value: UUIDs, hex and base64url of the same length, a synthetic profile, a password marker', async () => {
    const s = subjectItems();
    const { lines } = await run(writeJsonl('dump.jsonl', s.items));
    const user = lines.find((l) => l.store === 'users')!.item;
    const session = lines.find((l) => l.store === 'sessions')!.item;
    const entry = lines.find((l) => l.store === 'audit')!.item;

    expect(user.emailIndex).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(entry.subjectPseudonym).toMatch(/^[0-9a-f]{64}$/);
    expect(session.deviceLabel).toMatch(/^p-[0-9a-f]{16}$/);
    expect(user.passwordHash).toBe(SYNTHETIC_PASSWORD);
    const profile = parseSyntheticProfile(user.profile);
    expect(profile).toBeDefined();
    expect(z.email().safeParse(profile!.email).success).toBe(true);
    expect(profile!.email).toMatch(/@example\.invalid$/);
    // The consent ledger stays valid: a decision from the same family, the same one in the event and the projection.
    const consent = lines.filter((l) => l.store === 'consent').map((l) => l.item);
    const event = consent.find((c) => String(c.sk).startsWith('event#'))!;
    const state = consent.find((c) => c.sk === 'state#analytics')!;
    expect(['grant', 'withdraw']).toContain(event.action);
    expect(state.lastAction).toBe(event.action);
    expect(typeof consent.find((c) => c.sk === 'pref#newsletter')!.subscribed).toBe('boolean');
  });

  it('replaces the account\'s activity dates and keeps the activity month the month of the new last activity', () => {
    const user = {
      subjectId: randomUUID(),
      lastActiveAt: '2026-03-14T09:26:53.589Z',
      activityMonth: '2026-03',
      inactivityNoticeAt: '2028-03-15T02:00:00.000Z',
      inactivityErasureAt: '2028-04-14T02:00:00.000Z',
    };

    const out = pseudonymizeItem('users', user, new PseudonymMapper(KEY));

    for (const field of ['lastActiveAt', 'inactivityNoticeAt', 'inactivityErasureAt'] as const) {
      expect(out[field]).not.toBe(user[field]);
      expect(String(out[field])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    }
    expect(out.activityMonth).toBe(String(out.lastActiveAt).slice(0, 7));
  });

  it('copies every non-personal field unchanged', async () => {
    const s = subjectItems();
    const { lines } = await run(writeJsonl('dump.jsonl', s.items));
    lines.forEach(({ store, item }, i) => {
      const original = s.items[i]!.item;
      const keyMaterial = (name: string) => (inventory[store].fields as Record<string, { category: string }>)[name]!.category === 'key-material';
      for (const [name, value] of Object.entries(original)) {
        if (!declared(store)[name]!.personal && !keyMaterial(name)) {
          expect({ field: `${store}.${name}`, value: item[name] }).toEqual({ field: `${store}.${name}`, value });
        }
      }
      // wrapped data keys are the source environment's secrets: never carried over
      expect(Object.keys(item).sort()).toEqual(Object.keys(original).filter((name) => !keyMaterial(name)).sort());
    });
  });

  it('gives the same output for the same key, and different pseudonyms for every personal value under another key', async () => {
    const s = subjectItems();
    const input = writeJsonl('dump.jsonl', s.items);
    const first = await run(input);
    const again = await run(input);
    const other = await run(input, { key: OTHER_KEY });

    expect(again.text).toBe(first.text);
    first.lines.forEach(({ store, item }, i) => {
      for (const name of Object.keys(item)) {
        if (!declared(store)[name]!.personal || ENUM_FIELDS.has(`${store}.${name}`)) continue;
        if (name === 'passwordHash') continue; // a marker, the same everywhere
        expect({ field: `${store}.${name}`, value: other.lines[i]!.item[name] }).not.toEqual({ field: `${store}.${name}`, value: item[name] });
      }
    });
  });

  it('takes the store from an option for bare lines', async () => {
    const s = subjectItems();
    const sessions = s.items.filter((i) => i.store === 'sessions').map((i) => i.item);
    const output = join(dir, 'sessions.out.jsonl');
    const result = await pseudonymize({ input: writeJsonl('sessions.jsonl', sessions), output, key: KEY, store: 'sessions' });

    expect(result.itemsByStore).toEqual({ sessions: 1 });
    const out = JSON.parse(readFileSync(output, 'utf8')) as PlainItem;
    expect(out.subjectId).toMatch(UUID);
    expect(out.subjectId).not.toBe(s.subjectId);
    expect(out.expiresAt).toBe(1_773_000_000);
  });
});

describe('pseudonymize a DynamoDB export', () => {
  it('writes DynamoDB JSON back with the same types, and the same pseudonyms as a JSON-lines dump', async () => {
    const s = subjectItems();
    const session = s.items.find((i) => i.store === 'sessions')!.item;
    const exportLine = { Item: Object.fromEntries(Object.entries(session).map(([k, v]) => [k, toAttribute(v)])) };
    const input = writeJsonl('export.json', [exportLine]);
    const output = join(dir, 'export.out.json');

    await pseudonymize({ input, output, key: KEY, store: 'sessions' });
    const out = JSON.parse(readFileSync(output, 'utf8')) as { Item: Record<string, Record<string, unknown>> };
    const fromJsonl = pseudonymizeItem('sessions', session, new PseudonymMapper(KEY));

    expect(out.Item.subjectId).toEqual({ S: fromJsonl.subjectId });
    expect(out.Item.tokenHash).toEqual({ S: fromJsonl.tokenHash });
    expect(out.Item.expiresAt).toEqual({ N: '1773000000' });
    expect(out.Item.roles).toEqual({ L: [{ S: 'subject' }] });
    expect(JSON.stringify(out)).not.toContain(s.subjectId);
  });

  it('pseudonymises string sets and numbers member by member', () => {
    const mapper = new PseudonymMapper(KEY);
    const id = randomUUID();
    const item = pseudonymizeItem('rightsRequests', { requestId: 'r1', pendingVerification: new Set([`email#${id}`]) as never }, mapper);
    const members = [...(item.pendingVerification as unknown as Set<string>)];
    expect(members).toEqual([`email#${mapper.string(id)}`]);
  });
});

describe('refuses what it cannot vouch for', () => {
  it('fails on a field the inventory does not declare, naming the field but not its value, and writes nothing', async () => {
    const secret = `secret-${randomUUID()}`;
    const input = writeJsonl('dump.jsonl', [{ store: 'sessions', item: { tokenHash: hex64(), nickname: secret } }]);
    const output = join(dir, 'out.jsonl');

    const error = await pseudonymize({ input, output, key: KEY }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(OpsInputError);
    expect((error as Error).message).toContain('sessions.nickname');
    expect((error as Error).message).toContain(':1');
    expect((error as Error).message).not.toContain(secret);
    expect(existsSync(output)).toBe(false);
    expect(existsSync(`${output}.partial`)).toBe(false);
  });

  it('drops undeclared fields when asked, and counts them', async () => {
    const secret = `secret-${randomUUID()}`;
    const input = writeJsonl('dump.jsonl', [{ store: 'sessions', item: { tokenHash: hex64(), nickname: secret } }]);
    const { result, text } = await run(input, { undeclared: 'drop' });

    expect(result.droppedFields).toEqual({ 'sessions.nickname': 1 });
    expect(text).not.toContain(secret);
    expect(text).not.toContain('nickname');
  });

  it('fails on an unknown store, a line without a store, and a line that is not JSON', async () => {
    await expect(run(writeJsonl('a.jsonl', [{ store: 'payments', item: { id: 'x' } }]))).rejects.toThrow(/"payments" is not a table/);
    await expect(run(writeJsonl('b.jsonl', [{ subjectId: randomUUID() }]))).rejects.toThrow(/no store/);
    const bad = join(dir, 'c.jsonl');
    writeFileSync(bad, '{"store":"users","item":{}}\n{not json\n');
    await expect(run(bad)).rejects.toThrow(/c\.jsonl:2: not valid JSON/);
  });

  it('will not overwrite an existing output or write over its input', async () => {
    const input = writeJsonl('dump.jsonl', []);
    await expect(pseudonymize({ input, output: input, key: KEY })).rejects.toThrow(/different file/);
    const output = writeJsonl('exists.jsonl', []);
    await expect(pseudonymize({ input, output, key: KEY })).rejects.toThrow(/exists/);
  });
});

describe('the key', () => {
  it('has no default: neither a file nor the environment variable is an error', async () => {
    await expect(loadPseudonymKey({ env: {} })).rejects.toThrow(/no default key/);
  });

  it('comes from a key file (hex or raw bytes) or the environment, never both, and has at least 32 bytes', async () => {
    const hexFile = join(dir, 'key.hex');
    writeFileSync(hexFile, `${KEY.toString('hex')}\n`);
    expect((await loadPseudonymKey({ keyFile: hexFile, env: {} })).equals(KEY)).toBe(true);
    const rawFile = join(dir, 'key.bin');
    const raw = Buffer.concat([Buffer.from([0, 255, 1]), randomBytes(40)]);
    writeFileSync(rawFile, raw);
    expect((await loadPseudonymKey({ keyFile: rawFile, env: {} })).equals(raw)).toBe(true);
    expect((await loadPseudonymKey({ env: { [PSEUDONYMIZE_KEY_ENV]: KEY.toString('base64') } })).equals(KEY)).toBe(true);
    await expect(loadPseudonymKey({ keyFile: hexFile, env: { [PSEUDONYMIZE_KEY_ENV]: KEY.toString('hex') } })).rejects.toThrow(/not both/);
    expect(() => parsePseudonymKey(randomBytes(16).toString('hex'), 'test')).toThrow(/at least 32 bytes/);
  });
});

describe('the mapper', () => {
  it('keeps emails valid, UUIDs UUIDs, phone numbers digits, dates in their year, and the service names as they are', () => {
    const mapper = new PseudonymMapper(KEY);
    expect(mapper.string('Ada.Lovelace@example.com')).toMatch(/^p-[0-9a-f]{20}@example\.invalid$/);
    expect(mapper.string('ada.lovelace@example.com')).toBe(mapper.string('Ada.Lovelace@example.com'));
    expect(mapper.string(randomUUID())).toMatch(UUID);
    expect(mapper.string('+447700900123')).toMatch(/^\+\d{12}$/);
    expect(mapper.string('+447700900123')).not.toBe('+447700900123');
    expect(mapper.string('1815-12-10')).toMatch(/^1815-\d{2}-\d{2}$/);
    expect(mapper.string('2026-03-01T10:00:00Z')).toMatch(/^2026-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(mapper.string('system')).toBe('system');
    expect(mapper.string('system:route:register')).toBe('system:route:register');
    expect(mapper.string('stats#07')).toBe('stats#07');
    expect(mapper.string('stats#x')).not.toBe('stats#x');
    // Only this backend's key prefixes are kept; a word before a colon in other text may be personal itself.
    expect(mapper.string(`erased#${'ab'.repeat(32)}`)).toMatch(/^erased#[0-9a-f]{64}$/);
    expect(mapper.string('ada:lovelace')).toMatch(/^p-[0-9a-f]{16}$/);
    expect(mapper.number(4477009)).toBeGreaterThanOrEqual(1_000_000);
    expect(mapper.number(4477009)).toBeLessThan(10_000_000);
  });

  it('is a function of the value and the key only', () => {
    const value = createHash('sha256').update('x').digest('hex');
    expect(new PseudonymMapper(KEY).string(value)).toBe(new PseudonymMapper(Buffer.from(KEY)).string(value));
    expect(new PseudonymMapper(OTHER_KEY).string(value)).not.toBe(new PseudonymMapper(KEY).string(value));
  });
});
