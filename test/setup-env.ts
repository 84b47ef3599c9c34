// Unit and infra tests assert on answers, not log lines; keep jest's output readable. Integration tests read real logs.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_REGION ??= 'eu-west-1';
