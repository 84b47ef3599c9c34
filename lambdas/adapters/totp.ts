/**
 * TOTP (RFC 6238) with otpauth: SHA-1, 6 digits, 30-second steps (what authenticator apps expect), 160-bit secrets, and
 * one step of clock drift either way.
 */
import { Secret, TOTP } from 'otpauth';
import type { TotpCodes } from '../domain/second-factor';

const PERIOD_SECONDS = 30;

export class OtpauthTotp implements TotpCodes {
  constructor(private readonly issuer: string) {}

  private totp(secret: Secret, label = 'admin'): TOTP {
    return new TOTP({ issuer: this.issuer, label, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret });
  }

  newSecret(accountLabel: string): { secret: string; uri: string } {
    const secret = new Secret({ size: 20 });
    return { secret: secret.base32, uri: this.totp(secret, accountLabel).toString() };
  }

  matchStep(secret: string, code: string, now: Date): number | undefined {
    const delta = this.totp(Secret.fromBase32(secret)).validate({ token: code, timestamp: now.getTime(), window: 1 });
    return delta === null ? undefined : Math.floor(now.getTime() / 1000 / PERIOD_SECONDS) + delta;
  }
}
