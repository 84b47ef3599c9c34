/**
 * The local cloud's services for the in-process benchmarks: DynamoDB Local, fauxqs (SQS + S3) and the KMS emulator on free
 * ports, provisioned from the synthesized stateful stack exactly as `npm start` does, but with no API server and no
 * workers: the benchmark invokes handlers itself, so nothing else may consume the queue or compete for the CPU.
 */
import { DEFAULT_DYNAMODB_LOCAL_CACHE_DIR } from '../../scripts/fetch-dynamodb-local';
import { startDynamoDbLocal } from '../../local/dynamodb-local';
import { startKmsEmulator } from '../../local/kms/kms-emulator';
import { handlerEnvironment } from '../../local/cloud';
import { provisionFromTemplate } from '../../local/provision';
import { startSqsS3 } from '../../local/sqs-s3';

export interface BenchCloud {
  readonly env: Record<string, string>;
  readonly endpoints: { dynamodb: string; sqsS3: string; kms: string };
  readonly queues: Record<string, { url: string; arn: string }>;
  close(): Promise<void>;
}

const REGION = 'eu-west-1';

export async function startBenchCloud(): Promise<BenchCloud> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const [dynamodb, sqsS3, kms] = await Promise.all([
      startDynamoDbLocal({ port: 0, cacheDir: DEFAULT_DYNAMODB_LOCAL_CACHE_DIR }).then((s) => (closers.push(s.close), s)),
      startSqsS3({ port: 0 }).then((s) => (closers.push(s.close), s)),
      startKmsEmulator({ port: 0, region: REGION }).then((s) => (closers.push(s.close), s)),
    ]);
    const endpoints = { dynamodb: dynamodb.endpoint, sqsS3: sqsS3.endpoint, kms: kms.endpoint };
    const { synthStatefulTemplate } = await import('../../lib/stateful-stack');
    const provisioned = await provisionFromTemplate(synthStatefulTemplate('dev'), { ...endpoints, region: REGION });
    const env = handlerEnvironment(endpoints, REGION, [], provisioned.env);
    return { env, endpoints, queues: provisioned.queues, close };
  } catch (error) {
    await close();
    throw error;
  }
}
