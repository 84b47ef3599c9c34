/** The KMS SDK names this code uses, imported here only, for the reason `dynamodb-sdk.ts` gives. */
export { DecryptCommand, GenerateDataKeyCommand, GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
