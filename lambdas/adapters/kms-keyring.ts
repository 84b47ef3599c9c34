/**
 * Per-subject data keys, generated and wrapped by the KMS data key with an encryption context naming the subject, so a
 * wrapped key copied to another subject's item cannot be unwrapped. The wrapped key lives in the subject-keys table;
 * deleting that item crypto-shreds the subject.
 */
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SubjectKeyring } from '../domain/accounts';
import type { AuditTrail } from './dynamo-audit';

export class KmsSubjectKeyring implements SubjectKeyring {
  /** Unwrapped keys for the life of this object only: one invocation. Never module scope. */
  private readonly unwrapped = new Map<string, Uint8Array>();

  constructor(
    private readonly kms: KMSClient,
    private readonly dynamodb: DynamoDBDocumentClient,
    private readonly dataKeyId: string,
    private readonly subjectKeysTable: string,
    private readonly audit?: AuditTrail,
  ) {}

  async create(subjectId: string): Promise<{ key: Uint8Array; wrapped: string }> {
    const { Plaintext, CiphertextBlob } = await this.kms.send(
      new GenerateDataKeyCommand({ KeyId: this.dataKeyId, KeySpec: 'AES_256', EncryptionContext: { subjectId } }),
    );
    this.unwrapped.set(subjectId, Plaintext!);
    return { key: Plaintext!, wrapped: Buffer.from(CiphertextBlob!).toString('base64') };
  }

  async open(subjectId: string): Promise<Uint8Array | undefined> {
    const cached = this.unwrapped.get(subjectId);
    if (cached) return cached;
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
    this.unwrapped.set(subjectId, Plaintext!);
    return Plaintext!;
  }
}
