/**
 * Per-subject data keys, generated and wrapped by the KMS data key with an encryption context naming the subject, so a
 * wrapped key copied to another subject's item cannot be unwrapped. The wrapped key lives in the subject-keys table;
 * deleting that item crypto-shreds the subject.
 */
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SubjectKeyring } from '../domain/accounts';
import { BoundedCache } from './bounded-cache';
import type { AuditTrail } from './dynamo-audit';

/**
 * Limits of the per-container cache of unwrapped subject keys, after the AWS Encryption SDK's caching CMM, which bounds
 * each cached data key by max age, max messages and max bytes encrypted (developer guide, "Setting cache security
 * thresholds"): here one use is one request opening the key. Max bytes is left out: AES-GCM's limit is per key, which the
 * cache does not change, and our sealed values are small. The max age is also the longest a container that did not handle
 * an erasure can still open the erased subject's key (README: "Caches and erasure").
 */
export const SUBJECT_KEY_CACHE_LIMITS = { maxAgeMs: 5 * 60_000, maxUses: 1000, maxEntries: 500 } as const;

/** Module scope: one cache per container, shared by the requests it serves one after another. */
const unwrappedKeys = new BoundedCache<{ scope: string; key: Uint8Array }>(SUBJECT_KEY_CACHE_LIMITS);

/**
 * Forgets this container's unwrapped key of a subject. The erasure path calls it when it deletes the wrapped key, so the
 * container that erased a subject cannot open their key again at all; other containers stop within the max age.
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
    unwrappedKeys.set(subjectId, { scope: this.scope, key: Plaintext! });
    return { key: Plaintext!, wrapped: Buffer.from(CiphertextBlob!).toString('base64') };
  }

  async open(subjectId: string): Promise<Uint8Array | undefined> {
    const cached = unwrappedKeys.get(subjectId);
    if (cached?.scope === this.scope) {
      // Reading through a cached key is still an access to the subject's data.
      this.audit?.noteRead(subjectId);
      return cached.key;
    }
    const { Item } = await this.dynamodb.send(
      new GetCommand({ TableName: this.subjectKeysTable, Key: { subjectId }, ConsistentRead: true }),
    );
    if (!Item?.wrappedKey) return undefined;
    // Unwrapping a subject's key is what makes their data readable: an access in its own right.
    this.audit?.noteRead(subjectId);
    const { Plaintext } = await this.kms.send(
      new DecryptCommand({
        KeyId: this.dataKeyId,
        CiphertextBlob: Buffer.from(Item.wrappedKey as string, 'base64'),
        EncryptionContext: { subjectId },
      }),
    );
    unwrappedKeys.set(subjectId, { scope: this.scope, key: Plaintext! });
    return Plaintext!;
  }
}
