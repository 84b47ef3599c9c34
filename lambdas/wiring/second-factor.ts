/**
 * The admin second factor's TOTP, kept apart from `accounts.ts` so that only the functions that check or enrol a code
 * (login, `fmn admin create`) bundle otpauth.
 */
import { OtpauthTotp } from '../adapters/totp';
import type { TotpCodes } from '../domain/second-factor';

/** The issuer an authenticator app shows next to the code, naming the stage so two deployments are told apart. */
export function totpCodes(stage = process.env.STAGE ?? 'local'): TotpCodes {
  return new OtpauthTotp(`Forget-Me-Not ${stage}`);
}
