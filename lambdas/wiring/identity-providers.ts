/**
 * Wires OIDC login (accounts feature) to the identity providers the environment configures. Apart from `accounts.ts`
 * because the verifier loads `jose`, which only the OIDC login function needs.
 */
import { oidcVerifier, providersFromEnv } from '../adapters/oidc-verifier';

/** The verifier of identity providers' ID tokens. */
export function identityTokenVerifier() {
  return oidcVerifier(providersFromEnv());
}
