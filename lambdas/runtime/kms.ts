import { KMSClient } from '../adapters/kms-sdk';

/** One KMS client per container; the endpoint comes from the environment (AWS_ENDPOINT_URL_KMS locally). */
export const kms = new KMSClient({});
