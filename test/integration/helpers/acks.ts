/**
 * Acting as a recipient in integration suites: its secret as the operator reads it (`fmn recipients secret`), and acks
 * signed the Standard Webhooks way, as a recipient's own code signs them.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import type { RecipientId } from '../../../lambdas/recipients';
import type { Json } from './api';
import type { LocalCloudHandle } from './local-cloud';

/** A recipient's secret as the operator hands it over; queue recipients have one too, for their acks. */
export function recipientSecret(cloud: Pick<LocalCloudHandle, 'endpoints'>, recipient: RecipientId): string {
  return execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', '..', 'cli', 'fmn.ts'), 'recipients', 'secret', recipient, '--local'], {
    env: { ...process.env, AWS_ENDPOINT_URL_KMS: cloud.endpoints.kms, AWS_ENDPOINT_URL_DYNAMODB: cloud.endpoints.dynamodb },
    encoding: 'utf8',
  }).trim();
}

export interface SignedAck {
  readonly raw: string;
  readonly headers: Record<string, string>;
}

/** An ack body signed with `secret`: a fresh webhook-id and the current time unless given. */
export function signedAck(secret: string, body: Json, options: { id?: string; at?: Date } = {}): SignedAck {
  const raw = JSON.stringify(body);
  const id = options.id ?? `ack_${randomUUID().replace(/-/g, '')}`;
  const at = options.at ?? new Date();
  return {
    raw,
    headers: {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, raw),
    },
  };
}
