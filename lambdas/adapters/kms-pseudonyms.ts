/**
 * Keyed pseudonyms from the KMS HMAC key (GenerateMac, HMAC_SHA_256): blind indexes for lookups, and keys for throttle
 * counters. The key never leaves KMS, so an attacker with a table dump cannot test guesses offline. Each use has its own
 * prefix, so an email's index can never equal some other value's.
 */
import { createHash } from 'node:crypto';
import { GenerateMacCommand } from './kms-sdk';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { Pseudonyms } from '../domain/accounts';
import { BoundedCache } from './bounded-cache';

/**
 * Limits of the per-container pseudonym memo. A MAC never changes (KMS does not rotate HMAC keys), so the age bound is
 * not about correctness: it limits how long a container keeps anything derived from a person it served.
 */
export const PSEUDONYM_CACHE_LIMITS = { maxAgeMs: 15 * 60_000, maxEntries: 5000 } as const;

/**
 * Module scope: one memo per container. Keyed by a SHA-256 of key id and message, so the memo holds no email address or
 * subject id in clear; values are the MACs, as stored in the tables anyway.
 */
const memo = new BoundedCache<Promise<string>>(PSEUDONYM_CACHE_LIMITS);

/**
 * Empties this container's pseudonym memo. The erasure path calls it: which entries belong to the erased subject cannot
 * be told from hashed keys, and erasures are rare enough that refilling the memo costs nothing that matters.
 */
export function forgetPseudonyms(): void {
  memo.clear();
}

export class KmsPseudonyms implements Pseudonyms {
  constructor(
    private readonly kms: KMSClient,
    private readonly hmacKeyId: string,
  ) {}

  /** HMAC of `<purpose>:<value>`, base64url. Memoised per container (bounded: `PSEUDONYM_CACHE_LIMITS`). */
  mac(purpose: string, value: string): Promise<string> {
    const message = `${purpose}:${value}`;
    const memoKey = createHash('sha256').update(`${this.hmacKeyId}\u0000${message}`, 'utf8').digest('base64url');
    let pending = memo.get(memoKey);
    if (!pending) {
      pending = this.kms
        .send(new GenerateMacCommand({ KeyId: this.hmacKeyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(message, 'utf8') }))
        .then(({ Mac }) => Buffer.from(Mac!).toString('base64url'));
      memo.set(memoKey, pending);
      // A failed call is not remembered: the next request asks KMS again.
      pending.catch(() => memo.delete(memoKey));
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
