/**
 * Errors the ops functions raise for bad input or configuration: the CLI prints the message on one line and exits 2.
 * Messages name files, lines, stores and fields, never a value read from a dump (it may be personal data).
 */
export class OpsInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpsInputError';
  }
}
