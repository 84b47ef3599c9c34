/**
 * Ops command: run one scheduled job (`lambdas/schedules.ts`) now, in this process, with the event EventBridge would send.
 *
 *   npm run job -- --local retention                         against npm start (default names and ports)
 *   npm run job -- --local retention --time 2029-01-01T00:00:00Z   with a fake clock (needs FMN_RETENTION_FAKE_CLOCK=1)
 *   npm run job -- overdueRequests                           on AWS: set the job's table/queue/key variables and STAGE
 *
 * `fmn job run` is the operator's command for the same (targets resolved like every fmn command, a readable result);
 * both run the job through ops/scheduled-job.ts.
 *
 * On AWS the jobs run on their EventBridge rules; this is for a run on demand and for tests, which drive the job's clock
 * through `--time` (the event's `time` field). Prints one line, `JOB_RESULT {json}`, with what the handler returned
 * (counts only). Exit 2 on bad arguments, 1 when the job fails. With FMN_FIELD_TRACE set (tests only) its SDK calls are
 * traced under `schedule:<job>`, as the local scheduler's are.
 */
import { parseArgs } from 'node:util';
import { schedules } from '../lambdas/schedules';
import { KEY_IDS, TABLE_IDS, keyEnvVar, queueEnvVar, tableEnvVar } from '../lambdas/runtime/resources';
import { OpsInputError } from '../ops/errors';
import { jobTime, runScheduledJob, scheduledJob } from '../ops/scheduled-job';

const usage = `Usage: npm run job -- [--local] <job> [--time ISO-8601] [--dry-run]   jobs: ${schedules.map((j) => j.id).join(', ')}`;

/** The names `npm start` gives its resources (local/provision.ts) and its default ports; explicit variables win. */
function useLocalCloud(): void {
  for (const id of TABLE_IDS) process.env[tableEnvVar(id)] ??= `fmn-local-${id}`;
  for (const id of KEY_IDS) process.env[keyEnvVar(id)] ??= `alias/fmn-local/${id}`;
  const sqsS3 = `http://127.0.0.1:${process.env.SQS_S3_PORT ?? 4566}`;
  process.env.AWS_ENDPOINT_URL_DYNAMODB ??= `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`;
  process.env.AWS_ENDPOINT_URL_KMS ??= `http://127.0.0.1:${process.env.KMS_PORT ?? 4599}`;
  process.env.AWS_ENDPOINT_URL_SQS ??= sqsS3;
  process.env[queueEnvVar('rightsRequestQueue')] ??= `${process.env.AWS_ENDPOINT_URL_SQS}/000000000000/fmn-local-rightsRequestQueue`;
  process.env.AWS_REGION ??= 'eu-west-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.STAGE ??= 'local';
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        local: { type: 'boolean', default: false },
        time: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  let job;
  try {
    if (positionals.length > 1) throw new OpsInputError('name one scheduled job');
    job = scheduledJob(positionals[0]);
    jobTime(values.time);
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (values.local) useLocalCloud();
  const { result } = await runScheduledJob(job, { time: values.time, dryRun: values['dry-run'] });
  console.log(`JOB_RESULT ${JSON.stringify(result)}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    // The class only: a message could quote data.
    console.error(`job failed: ${error.name}`);
    process.exit(1);
  },
);
