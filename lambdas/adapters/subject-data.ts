/**
 * Everything held on one subject, store by store: found (for export and access), erased (by the plan) and searched for
 * again (verification). One method per store of the inventory, so the worker's loops over the plan reach every store.
 */
import { DeleteObjectsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, TransactWriteCommand } from './dynamodb-sdk';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unseal, type SealedContent, type UserRecord } from '../domain/accounts';
import { subjectChain, type AuditEntry } from '../domain/audit';
import type { ConsentEvent, ConsentState } from '../domain/consent';
import { erasureDeltas } from '../domain/consent-stats';
import { statsUpdates } from './dynamo-consent';
import { withoutFreeText, type RightsRequest } from '../domain/rights';
import type { TableId } from '../runtime/resources';
import { forgetSubjectKey, type KmsSubjectKeyring } from './kms-keyring';
import type { KmsPseudonyms } from './kms-pseudonyms';
import { queryAll } from './dynamo-paging';
import { OUTBOX_SK_PREFIX } from './dynamo-recipient-outbox';

type Item = Record<string, any>;

export interface SubjectDataDeps {
  readonly db: DynamoDBDocumentClient;
  readonly s3: S3Client;
  readonly table: (id: TableId) => string;
  readonly bucket: string;
  readonly keyring: KmsSubjectKeyring;
  readonly pseudonyms: KmsPseudonyms;
}

/** Up to 25 deletes per transaction (well inside DynamoDB's 100), so a retry after a crash repeats little. */
const CHUNK = 25;

export class SubjectData {
  constructor(private readonly deps: SubjectDataDeps) {}

  private query(table: TableId, key: string, value: string, index?: string): Promise<Item[]> {
    return queryAll<Item>(this.deps.db, {
      TableName: this.deps.table(table),
      IndexName: index,
      KeyConditionExpression: '#k = :v',
      ExpressionAttributeNames: { '#k': key },
      ExpressionAttributeValues: { ':v': value },
    });
  }

  private async deleteKeys(table: TableId, keys: readonly Item[]): Promise<number> {
    for (let i = 0; i < keys.length; i += CHUNK) {
      await this.deps.db.send(
        new TransactWriteCommand({ TransactItems: keys.slice(i, i + CHUNK).map((Key) => ({ Delete: { TableName: this.deps.table(table), Key } })) }),
      );
    }
    return keys.length;
  }

  // ---- finding --------------------------------------------------------------------------------------------------

  async user(subjectId: string): Promise<UserRecord | undefined> {
    const { Item } = await this.deps.db.send(new GetCommand({ TableName: this.deps.table('users'), Key: { subjectId }, ConsistentRead: true }));
    return Item as UserRecord | undefined;
  }

  /** The decrypted profile and its sources, or undefined once the key is gone. */
  async profile(user: UserRecord): Promise<SealedContent | undefined> {
    const key = await this.deps.keyring.open(user.subjectId);
    return key ? unseal(key, user.subjectId, user.profile) : undefined;
  }

  identities = (subjectId: string) => this.query('identities', 'subjectId', subjectId, 'bySubject');
  sessions = (subjectId: string) => this.query('sessions', 'subjectId', subjectId, 'bySubject');
  /** The ledger, projection and preferences; not the recipients' pending events (`outboxKeys`), which are no record of the subject's. */
  async consentItems(subjectId: string): Promise<Item[]> {
    // DynamoDB filters no key attribute, so the two key ranges either side of the outbox prefix ('$' follows '#').
    const range = (condition: string, bound: string) =>
      queryAll<Item>(this.deps.db, {
        TableName: this.deps.table('consent'),
        KeyConditionExpression: `subjectId = :v AND ${condition}`,
        ExpressionAttributeValues: { ':v': subjectId, ':bound': bound },
      });
    return [...(await range('sk < :bound', OUTBOX_SK_PREFIX)), ...(await range('sk >= :bound', `${OUTBOX_SK_PREFIX.slice(0, -1)}$`))];
  }

  /** The keys of the subject's recipient events still waiting to be published (keys only: erasure deletes them). */
  outboxKeys = (subjectId: string) =>
    queryAll<Item>(this.deps.db, {
      TableName: this.deps.table('consent'),
      KeyConditionExpression: 'subjectId = :v AND begins_with(sk, :outbox)',
      ProjectionExpression: 'subjectId, sk',
      ExpressionAttributeValues: { ':v': subjectId, ':outbox': OUTBOX_SK_PREFIX },
    });
  requests = async (subjectId: string) => (await this.query('rightsRequests', 'subjectId', subjectId, 'bySubject')) as RightsRequest[];

  async analyticsId(subjectId: string): Promise<string> {
    return this.deps.pseudonyms.mac('analytics', subjectId);
  }

  async analyticsEvents(subjectId: string): Promise<Item[]> {
    return this.query('analyticsEvents', 'analyticsId', await this.analyticsId(subjectId));
  }

  async auditEntries(subjectId: string): Promise<AuditEntry[]> {
    const chainId = subjectChain(await this.deps.pseudonyms.subject(subjectId));
    return (await this.query('audit', 'chainId', chainId)).filter((e) => e.seq > 0) as AuditEntry[];
  }

  async hasKey(subjectId: string): Promise<boolean> {
    const { Item } = await this.deps.db.send(new GetCommand({ TableName: this.deps.table('subjectKeys'), Key: { subjectId }, ConsistentRead: true }));
    return Item !== undefined;
  }

  /** Writes the export files; keys name the request, never the subject. */
  async putExport(requestId: string, json: string, csv: string): Promise<{ json: string; csv: string }> {
    const keys = { json: `exports/${requestId}/export.json`, csv: `exports/${requestId}/export.csv` };
    await this.deps.s3.send(new PutObjectCommand({ Bucket: this.deps.bucket, Key: keys.json, Body: json, ContentType: 'application/json' }));
    await this.deps.s3.send(new PutObjectCommand({ Bucket: this.deps.bucket, Key: keys.csv, Body: csv, ContentType: 'text/csv' }));
    return keys;
  }

  // ---- erasing --------------------------------------------------------------------------------------------------

  async eraseExports(requests: readonly RightsRequest[]): Promise<number> {
    const keys = requests.flatMap((r) => [
      ...(r.exportKeys ? [r.exportKeys.json, r.exportKeys.csv] : []),
      // the recipients' parts of an export (uploaded through the ack route)
      ...Object.values(r.recipients ?? {}).flatMap((p) => (p?.partKey ? [p.partKey] : [])),
    ]);
    if (keys.length === 0) return 0;
    await this.deps.s3.send(new DeleteObjectsCommand({ Bucket: this.deps.bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
    return keys.length;
  }

  async eraseAnalytics(subjectId: string): Promise<number> {
    const events = await this.analyticsEvents(subjectId);
    return this.deleteKeys('analyticsEvents', events.map((e) => ({ analyticsId: e.analyticsId, sk: e.sk })));
  }

  async eraseSessions(subjectId: string): Promise<number> {
    return this.deleteKeys('sessions', (await this.sessions(subjectId)).map((s) => ({ tokenHash: s.tokenHash })));
  }

  async eraseIdentities(subjectId: string): Promise<number> {
    return this.deleteKeys('identities', (await this.identities(subjectId)).map((i) => ({ identityKey: i.identityKey })));
  }

  /** Deletes the projection and preferences; moves each ledger event under `erased#<pseudonym>` (put then delete, atomically). */
  async pseudonymiseConsent(subjectId: string, pseudonym: string): Promise<number> {
    const items = await this.consentItems(subjectId);
    const table = this.deps.table('consent');
    const events = items.filter((i) => String(i.sk).startsWith('event#'));
    const others = items.filter((i) => !String(i.sk).startsWith('event#'));
    for (let i = 0; i < events.length; i += CHUNK / 2) {
      await this.deps.db.send(
        new TransactWriteCommand({
          TransactItems: events.slice(i, i + CHUNK / 2).flatMap((e) => [
            { Put: { TableName: table, Item: { ...(e as ConsentEvent), subjectId: `erased#${pseudonym}`, sk: e.sk } } },
            { Delete: { TableName: table, Key: { subjectId, sk: e.sk } } },
          ]),
        }),
      );
    }
    // The projections leave the consent figures in the transaction that deletes them, each conditional on being as read
    // (a decision landing meanwhile fails it, and the worker's retry reads again), so the figures stay their sum.
    const states = others.filter((o) => String(o.sk).startsWith('state#')) as (ConsentState & Item)[];
    if (states.length > 0) {
      await this.deps.db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...states.map((state) => ({
              Delete: {
                TableName: table,
                Key: { subjectId, sk: state.sk },
                ConditionExpression: 'seq = :seq',
                ExpressionAttributeValues: { ':seq': state.seq },
              },
            })),
            ...statsUpdates(table, erasureDeltas(states)),
          ],
        }),
      );
    }
    // Pending recipient events go too: the erasure's own message tells every recipient, and they name the subject.
    const pending = await this.outboxKeys(subjectId);
    const rest = others.filter((o) => !String(o.sk).startsWith('state#'));
    await this.deleteKeys('consent', [...rest, ...pending].map((o) => ({ subjectId, sk: o.sk })));
    return items.length + pending.length;
  }

  /**
   * Replaces the subject id of every request but `except` (the erasure itself, finished last) with the pseudonym, and the
   * free text administrators wrote on it (reasons, notes) with a fixed sentence: the kept record must not name anyone.
   */
  async pseudonymiseRequests(subjectId: string, pseudonym: string, except: string): Promise<number> {
    const others = (await this.requests(subjectId)).filter((r) => r.requestId !== except);
    for (const request of others) {
      // Its recipients' reasons go too, open or not: nobody will follow this request up under the subject's name.
      const kept = withoutFreeText(request, { recipientReasons: 'remove' });
      await this.deps.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.deps.table('rightsRequests'),
                Key: { requestId: request.requestId },
                UpdateExpression: `SET subjectId = :p, history = :h${kept.extension ? ', extension = :e' : ''}${kept.recipients ? ', recipients = :r' : ''} REMOVE exportKeys`,
                // Unchanged since read: an admin's concurrent change fails this step, and the job's retry redoes it.
                ConditionExpression: 'subjectId = :s AND updatedAt = :u',
                ExpressionAttributeValues: {
                  ':p': `erased#${pseudonym}`,
                  ':s': subjectId,
                  ':u': request.updatedAt,
                  ':h': kept.history,
                  ...(kept.extension ? { ':e': kept.extension } : {}),
                  ...(kept.recipients ? { ':r': kept.recipients } : {}),
                },
              },
            },
          ],
        }),
      );
    }
    return others.length;
  }

  /** The per-account login counter is keyed by the email's blind index (per-client counters name no one). */
  async eraseThrottle(emailIndex: string | undefined): Promise<number> {
    if (!emailIndex) return 0;
    const Key = { counterKey: `account#${emailIndex}` };
    const { Item } = await this.deps.db.send(new GetCommand({ TableName: this.deps.table('loginThrottle'), Key, ConsistentRead: true }));
    if (!Item) return 0;
    await this.deps.db.send(new DeleteCommand({ TableName: this.deps.table('loginThrottle'), Key }));
    return 1;
  }

  async eraseUser(subjectId: string): Promise<number> {
    const user = await this.user(subjectId);
    if (!user) return 0;
    await this.deps.db.send(new DeleteCommand({ TableName: this.deps.table('users'), Key: { subjectId } }));
    return 1;
  }

  async shredKey(subjectId: string): Promise<number> {
    const had = await this.hasKey(subjectId);
    await this.deps.db.send(new DeleteCommand({ TableName: this.deps.table('subjectKeys'), Key: { subjectId } }));
    // Crypto-shredding must hold in this container at once, not only once the cached copy ages out.
    forgetSubjectKey(subjectId);
    return had ? 1 : 0;
  }

  // ---- verifying ------------------------------------------------------------------------------------------------

  /**
   * Searches every store for the subject again, by subject id, blind index, analytics pseudonym and identity keys, and
   * names the stores where anything was found. `except` is the erasure request itself, pseudonymised right after.
   */
  async leftovers(subjectId: string, keys: { emailIndex?: string; identityKeys: readonly string[] }, except: string): Promise<string[]> {
    const found: string[] = [];
    if (await this.user(subjectId)) found.push('users');
    if (await this.hasKey(subjectId)) found.push('subjectKeys');
    if ((await this.identities(subjectId)).length > 0) found.push('identities');
    for (const identityKey of keys.identityKeys) {
      const { Item } = await this.deps.db.send(new GetCommand({ TableName: this.deps.table('identities'), Key: { identityKey }, ConsistentRead: true }));
      if (Item) found.push('identities');
    }
    if (keys.emailIndex) {
      const byIndex = await this.query('users', 'emailIndex', keys.emailIndex, 'byEmailIndex');
      if (byIndex.length > 0) found.push('users');
      const { Item } = await this.deps.db.send(
        new GetCommand({ TableName: this.deps.table('loginThrottle'), Key: { counterKey: `account#${keys.emailIndex}` }, ConsistentRead: true }),
      );
      if (Item) found.push('loginThrottle');
    }
    if ((await this.sessions(subjectId)).length > 0) found.push('sessions');
    if ((await this.consentItems(subjectId)).length > 0 || (await this.outboxKeys(subjectId)).length > 0) found.push('consent');
    if ((await this.analyticsEvents(subjectId)).length > 0) found.push('analyticsEvents');
    if ((await this.requests(subjectId)).some((r) => r.requestId !== except)) found.push('rightsRequests');
    return [...new Set(found)];
  }
}
