/**
 * Keyed pseudonyms from the KMS HMAC key (GenerateMac, HMAC_SHA_256): blind indexes for lookups, and keys for throttle
 * counters. The key never leaves KMS, so an attacker with a table dump cannot test guesses offline. Each use has its own
 * prefix, so an email's index can never equal some other value's.
 */
import { GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { Pseudonyms } from '../domain/accounts';

export class KmsPseudonyms implements Pseudonyms {
  private readonly memo = new Map<string, Promise<string>>();

  constructor(
    private readonly kms: KMSClient,
    private readonly hmacKeyId: string,
  ) {}

  /** HMAC of `<purpose>:<value>`, base64url. Memoised for this object's life (one invocation). */
  mac(purpose: string, value: string): Promise<string> {
    const message = `${purpose}:${value}`;
    let pending = this.memo.get(message);
    if (!pending) {
      pending = this.kms
        .send(new GenerateMacCommand({ KeyId: this.hmacKeyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(message, 'utf8') }))
        .then(({ Mac }) => Buffer.from(Mac!).toString('base64url'));
      this.memo.set(message, pending);
    }
    return pending;
  }

  /**
   * The audit pseudonym of a subject: hex, so it reads as an id (and log redaction, which removes token-shaped base64url,
   * leaves it alone). The same subject always gets the same pseudonym; without the key it cannot be linked back.
   */
  subject(subjectId: string): Promise<string> {
    return this.mac('subject', subjectId).then((mac) => Buffer.from(mac, 'base64url').toString('hex'));
  }

  emailIndex(normalisedEmail: string): Promise<string> {
    return this.mac('email', normalisedEmail);
  }

  externalIdentity(issuer: string, subject: string): Promise<string> {
    return this.mac('oidc', `${issuer}\u0000${subject}`);
  }

  client(address: string): Promise<string> {
    return this.mac('client', address);
  }
}
