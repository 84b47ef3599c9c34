/**
 * Per-subject data keys, generated and wrapped by the KMS data key with an encryption context naming the subject, so a
 * wrapped key copied to another subject's item cannot be unwrapped. The wrapped key lives in the subject-keys table;
 * deleting that item crypto-shreds the subject.
 */
import { DecryptCommand, GenerateDataKeyCommand } from './kms-sdk';
import type { KMSClient } from '@aws-sdk/client-kms';
import { GetCommand } from './dynamodb-sdk';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SubjectKeyring } from '../domain/accounts';
import { BoundedCache } from './bounded-cache';
import type { AuditTrail } from './dynamo-audit';

/**
 * Limits of the per-container cache of unwrapped subject keys, after the AWS Encryption SDK's caching CMM, which bounds
 * each cached data key by max age, max messages and max bytes encrypted (developer guide, "Setting cache security
 * thresholds"): here one use is one request opening the key. Max bytes is left out: AES-GCM's limit is per key, which the
 * cache does not change, and our sealed values are small.
 */
export const SUBJECT_KEY_CACHE_LIMITS = { maxAgeMs: 5 * 60_000, maxUses: 1000, maxEntries: 500 } as const;

/**
 * Module scope: one cache per container, shared by the requests it serves one after another. An entry holds the wrapped
 * key it was unwrapped from: a hit still reads the wrapped key (one consistent GetItem, no KMS call) and uses the cached
 * key only while the table holds that same wrapped key, so crypto-shredding takes effect at once in every container.
 */
const unwrappedKeys = new BoundedCache<{ scope: string; wrapped: string; key: Uint8Array }>(SUBJECT_KEY_CACHE_LIMITS);

/**
 * Forgets this container's unwrapped key of a subject. The erasure path calls it when it deletes the wrapped key, so no
 * copy of the plaintext key outlives the erasure in the container that carried it out (other containers drop theirs
 * at their next read of the subject, or within the max age).
 */
export function forgetSubjectKey(subjectId: string): void {
  unwrappedKeys.delete(subjectId);
}

export class KmsSubjectKeyring implements SubjectKeyring {
  /** Which KMS key and table the cached keys came from: a CLI or test may hold keyrings of two clouds at once. */
  private readonly scope: string;

  constructor(
    private readonly kms: KMSClient,
    private readonly dynamodb: DynamoDBDocumentClient,
    private readonly dataKeyId: string,
    private readonly subjectKeysTable: string,
    private readonly audit?: AuditTrail,
  ) {
    this.scope = `${dataKeyId}\u0000${subjectKeysTable}`;
  }

  async create(subjectId: string): Promise<{ key: Uint8Array; wrapped: string }> {
    const { Plaintext, CiphertextBlob } = await this.kms.send(
      new GenerateDataKeyCommand({ KeyId: this.dataKeyId, KeySpec: 'AES_256', EncryptionContext: { subjectId } }),
    );
    const wrapped = Buffer.from(CiphertextBlob!).toString('base64');
    unwrappedKeys.set(subjectId, { scope: this.scope, wrapped, key: Plaintext! });
    return { key: Plaintext!, wrapped };
  }

  async open(subjectId: string): Promise<Uint8Array | undefined> {
    const { Item } = await this.dynamodb.send(
      new GetCommand({ TableName: this.subjectKeysTable, Key: { subjectId }, ConsistentRead: true }),
    );
    const wrapped = Item?.wrappedKey as string | undefined;
    if (!wrapped) {
      forgetSubjectKey(subjectId);
      return undefined;
    }
    // Unwrapping a subject's key is what makes their data readable: an access in its own right, cached or not.
    this.audit?.noteRead(subjectId);
    const cached = unwrappedKeys.get(subjectId);
    if (cached?.scope === this.scope && cached.wrapped === wrapped) return cached.key;
    const { Plaintext } = await this.kms.send(
      new DecryptCommand({ KeyId: this.dataKeyId, CiphertextBlob: Buffer.from(wrapped, 'base64'), EncryptionContext: { subjectId } }),
    );
    unwrappedKeys.set(subjectId, { scope: this.scope, wrapped, key: Plaintext! });
    return Plaintext!;
  }
}
