/**
 * KMS service errors as the AWS JSON 1.1 protocol carries them: the `__type` is what the SDK turns into
 * `error.name` (and the matching exception class), so the names here must be the exact KMS shape names.
 */

/** The KMS error shapes this emulator can answer with. All of them are modelled by `@aws-sdk/client-kms`. */
export type KmsErrorType =
  | 'AlreadyExistsException'
  | 'DisabledException'
  | 'DryRunOperationException'
  | 'IncorrectKeyException'
  | 'InvalidAliasNameException'
  | 'InvalidCiphertextException'
  | 'InvalidKeyUsageException'
  | 'InvalidMarkerException'
  | 'KMSInternalException'
  | 'KMSInvalidMacException'
  | 'KMSInvalidStateException'
  | 'NotFoundException'
  | 'TagException'
  | 'UnsupportedOperationException'
  // Protocol-level errors: not modelled by the SDK, which surfaces them with this name all the same.
  | 'SerializationException'
  | 'ValidationException';

/** An error the emulator reports to the client as a KMS error response rather than a crash. */
export class KmsError extends Error {
  override readonly name = 'KmsError';

  constructor(
    readonly type: KmsErrorType,
    message: string,
  ) {
    super(message);
  }

  /** KMS answers every client error with 400; only its own failures are 500s. */
  get statusCode(): number {
    return this.type === 'KMSInternalException' ? 500 : 400;
  }
}

/** A ValidationException worded the way KMS words its constraint failures, so messages look familiar. */
export function validationError(member: string, constraint: string): KmsError {
  return new KmsError('ValidationException', `1 validation error detected: Value at '${member}' failed to satisfy constraint: ${constraint}`);
}
