import { KMSClient } from '@aws-sdk/client-kms';

/** One KMS client per container; the endpoint comes from the environment (AWS_ENDPOINT_URL_KMS locally). */
export const kms = new KMSClient({});
