/**
 * What `npm start` prints once the local cloud is up. With `--ports=auto` every port is new each run, so the banner ends
 * with `export …_PORT=` lines: pasted into another shell they point `fmn --local`, the README's examples and a second
 * `npm start` reader at this cloud (the same variables `npm start -- --help` lists).
 */

/** The port of a `http://127.0.0.1:<port>` URL. */
export function portOf(url: string): number {
  const port = Number(new URL(url).port);
  if (!Number.isInteger(port) || port < 1) throw new Error(`no port in ${url}`);
  return port;
}

export interface BannerInput {
  readonly apiUrl: string;
  readonly endpoints: { readonly dynamodb: string; readonly sqsS3: string; readonly kms: string };
  /** `--ports=auto`: print the `export` lines. */
  readonly autoPorts: boolean;
  /** How the state is kept, for the `state` line. */
  readonly state: string;
  readonly readySeconds: number;
}

/** The `export NAME=port` lines for the ports the cloud listens on, in the names `npm start` reads. */
export function portExports(input: Pick<BannerInput, 'apiUrl' | 'endpoints'>): string[] {
  const ports: Record<string, number> = {
    PORT: portOf(input.apiUrl),
    DYNAMODB_PORT: portOf(input.endpoints.dynamodb),
    SQS_S3_PORT: portOf(input.endpoints.sqsS3),
    KMS_PORT: portOf(input.endpoints.kms),
  };
  return Object.entries(ports).map(([name, port]) => `export ${name}=${port}`);
}

export function startBanner(input: BannerInput): string {
  const lines = [
    `Forget-Me-Not is running locally (ready in ${input.readySeconds.toFixed(1)} s)`,
    '',
    `  API            ${input.apiUrl}   (try ${input.apiUrl}/v1/health)`,
    `  OpenAPI        ${input.apiUrl}/v1/openapi.json`,
    `  console        ${input.apiUrl}/console/   (admins sign in with password and code)`,
    `  DynamoDB Local ${input.endpoints.dynamodb}`,
    `  SQS + S3       ${input.endpoints.sqsS3}`,
    `  KMS emulator   ${input.endpoints.kms}`,
    `  state          ${input.state}`,
    '',
  ];
  if (input.autoPorts) {
    lines.push('Ports were picked at random (--ports=auto). In another shell, for fmn --local and the README examples:', '');
    lines.push(...portExports(input), '');
  }
  lines.push('Workers are consuming the rights-request queue. Ctrl-C stops everything.');
  return lines.join('\n');
}
