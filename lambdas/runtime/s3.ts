import { S3Client } from '@aws-sdk/client-s3';
import { instrumented } from './test-hooks';

/** One S3 client per container. Emulators serve buckets by path, not by virtual host (S3_FORCE_PATH_STYLE=true locally). */
export const s3 = instrumented(new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' }), 's3');
