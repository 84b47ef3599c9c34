/**
 * The example recipient's adapters: its own table (partition `subjectId`, sort `recordId`), the ack route over HTTPS,
 * the presigned upload, and its ack secret (decrypted once per cold start with its own KMS key).
 */
import { DecryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AckAnswer, AckBody } from './contract';
import type { ServiceRecord, ServiceRecords } from './service';
import { signAck } from './webhook-signature';

export function dynamoRecords(db: DynamoDBDocumentClient, table: string): ServiceRecords {
  const of = async (subjectId: string): Promise<ServiceRecord[]> => {
    const items: ServiceRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({ TableName: table, KeyConditionExpression: 'subjectId = :s', ExpressionAttributeValues: { ':s': subjectId }, ExclusiveStartKey: start, ConsistentRead: true }),
      );
      items.push(...((page.Items ?? []) as ServiceRecord[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  };
  return {
    of,
    async deleteAllOf(subjectId) {
      const records = await of(subjectId);
      for (let i = 0; i < records.length; i += 25) {
        let requests: Record<string, unknown[]> | undefined = {
          [table]: records.slice(i, i + 25).map((r) => ({ DeleteRequest: { Key: { subjectId: r.subjectId, recordId: r.recordId } } })),
        };
        // DynamoDB may leave some deletes unprocessed under load: send those again.
        while (requests && Object.keys(requests).length > 0) {
          const answer = await db.send(new BatchWriteCommand({ RequestItems: requests as never }));
          requests = answer.UnprocessedItems as Record<string, unknown[]> | undefined;
        }
      }
      return records.length;
    },
  };
}

/** Posts a signed ack to `<apiUrl>/v1/recipients/<recipientId>/acks`. */
export function ackClient(apiUrl: string, recipientId: string, secret: () => Promise<string>): (body: AckBody) => Promise<AckAnswer> {
  const url = `${apiUrl.replace(/\/$/, '')}/v1/recipients/${encodeURIComponent(recipientId)}/acks`;
  return async (body) => {
    const { raw, headers } = signAck(await secret(), body);
    const response = await fetch(url, { method: 'POST', headers, body: raw, signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed } as AckAnswer;
  };
}

export async function uploadPart(url: string, json: string): Promise<void> {
  const response = await fetch(url, { method: 'PUT', body: json, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`the export part upload answered ${response.status}`);
}

/**
 * The ack secret: `APP_SERVICE_ACK_SECRET_CIPHERTEXT` (base64, encrypted under the service's own key, as the README's
 * deploy steps make it) decrypted once; or, run locally only, `APP_SERVICE_ACK_SECRET` in clear.
 */
export function ackSecret(kms: () => KMSClient, env: NodeJS.ProcessEnv = process.env): () => Promise<string> {
  let secret: Promise<string> | undefined;
  return () =>
    (secret ??= (async () => {
      if (env.APP_SERVICE_ACK_SECRET) return env.APP_SERVICE_ACK_SECRET;
      const ciphertext = env.APP_SERVICE_ACK_SECRET_CIPHERTEXT;
      if (!ciphertext) throw new Error('no ack secret configured (APP_SERVICE_ACK_SECRET_CIPHERTEXT)');
      const { Plaintext } = await kms().send(new DecryptCommand({ CiphertextBlob: Buffer.from(ciphertext, 'base64') }));
      return Buffer.from(Plaintext!).toString('utf8');
    })().catch((error) => {
      secret = undefined;
      throw error;
    }));
}
