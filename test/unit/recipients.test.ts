/**
 * The recipient declarations hold together with the inventory and the purposes: every field they name exists and is
 * personal, every purpose exists and names them back, the declared categories are exactly those of the fields, and each
 * recipient can be told who a request is about.
 */
import { PROFILE_FIELD_CATEGORIES, inventory, type FieldDeclaration } from '../../lambdas/inventory';
import { PURPOSE_IDS, isPurposeId, purposeOf } from '../../lambdas/purposes';
import {
  EVENT_IDENTIFIERS,
  RECIPIENT_IDS,
  categoriesOfRef,
  categoriesReceived,
  identifiersFor,
  parseDataRef,
  purposesServedBy,
  recipients,
  transfersInWords,
  type DataRef,
} from '../../lambdas/recipients';

const fieldsOf = (store: string) => inventory[store as keyof typeof inventory].fields as Readonly<Record<string, FieldDeclaration>>;

describe.each(RECIPIENT_IDS)('%s', (id) => {
  const declared = recipients[id];

  it('names only personal fields of stores the backend writes (or fields inside the profile)', () => {
    const refs = declared.receives.flatMap((r) => r.data);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const { store, field, sub } = parseDataRef(ref);
      expect(Object.keys(inventory)).toContain(store);
      expect(inventory[store].writtenBy).toBe('backend');
      expect(fieldsOf(store)[field]?.personal).toBe(true);
      if (sub !== undefined) {
        expect(`${store}.${field}`).toBe('users.profile');
        expect(Object.keys(PROFILE_FIELD_CATEGORIES)).toContain(sub);
      }
    }
  });

  it('receives for purposes that exist and name it as a recipient', () => {
    for (const { purpose } of declared.receives) {
      expect(isPurposeId(purpose)).toBe(true);
      expect(purposeOf(purpose).recipients).toContain(id);
    }
  });

  it('declares exactly the categories of the fields it receives', () => {
    const fromFields = [...new Set(declared.receives.flatMap((r) => r.data).flatMap((ref) => categoriesOfRef(ref)))].sort();
    expect([...declared.categories].sort()).toEqual(fromFields);
    expect(categoriesReceived(id)).toEqual(fromFields);
  });

  it('receives at least one identifier, so its events can say whom they are about', () => {
    expect(identifiersFor(id).length).toBeGreaterThan(0);
  });

  it('has a deadline within the month a request has (Art. 12(3)) and an HTTPS webhook if told by webhook', () => {
    expect(Number.isInteger(declared.answerWithinDays)).toBe(true);
    expect(declared.answerWithinDays).toBeGreaterThan(0);
    expect(declared.answerWithinDays).toBeLessThanOrEqual(30);
    if (declared.delivery.kind === 'webhook') expect(new URL(declared.delivery.url).protocol).toBe('https:');
  });

  it('states its transfers: none, or each country with its safeguard', () => {
    const words = transfersInWords(id);
    if (declared.transfers === 'none') expect(words).toMatch(/^none/);
    else for (const t of declared.transfers) expect(words).toContain(t.country);
  });
});

it('is named back by every purpose exactly when it receives data for it', () => {
  for (const purpose of PURPOSE_IDS) {
    const serving = RECIPIENT_IDS.filter((id) => purposesServedBy(id).includes(purpose));
    expect([...purposeOf(purpose).recipients].sort()).toEqual(serving.sort());
  }
});

it('lets the subject id and the email into events, and nothing else', () => {
  const refs: DataRef[] = Object.values(EVENT_IDENTIFIERS);
  expect(refs).toEqual(['users.subjectId', 'users.profile.email']);
  // the example app: the in-account service knows the subject id, the email provider only the email address
  expect(identifiersFor('app-service')).toEqual(['subjectId']);
  expect(identifiersFor('email-provider')).toEqual(['email']);
});

it('declares the two example recipients the fan-out is shown with: an in-account queue and a processor webhook', () => {
  expect(recipients['app-service']).toMatchObject({ kind: 'own-service', delivery: { kind: 'queue' } });
  expect(recipients['email-provider']).toMatchObject({ kind: 'processor', delivery: { kind: 'webhook' } });
});

it('rejects unknown ids and fields at compile time', () => {
  // @ts-expect-error: not a field of the inventory
  const unknownField: DataRef = 'users.shoeSize';
  // @ts-expect-error: not a recipient id
  const unknownRecipient: (typeof RECIPIENT_IDS)[number] = 'crm';
  expect([unknownField, unknownRecipient]).toHaveLength(2);
});
