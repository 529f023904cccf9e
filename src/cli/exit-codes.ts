import type { Command } from 'commander';
import { AppError, type ErrorCode } from '../kernel/index.js';

/** Exit codes of the `airlock` command; documented in docs/cli.md. */
export const ExitCode = {
  Ok: 0,
  /** The operation failed (registry error, digest mismatch, …). */
  Failure: 1,
  /** The command line was wrong: unknown flag, bad reference, bad value. */
  Usage: 2,
  /** Authentication or authorization failed. */
  Auth: 3,
  /** The image, tag or repository does not exist. */
  NotFound: 4,
  /** Several items were processed and some of them failed. */
  Partial: 5,
  /** A scan found vulnerabilities at or above `--fail-on`. */
  Findings: 6,
  /** Interrupted (SIGINT/SIGTERM). */
  Interrupted: 130,
} as const;

const USAGE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'USAGE_INVALID',
  'CONFIG_INVALID',
  'OCI_REFERENCE_INVALID',
  'OCI_DIGEST_INVALID',
  'OCI_NAME_INVALID',
  'OCI_TAG_INVALID',
  'API_REQUEST_INVALID',
  'ENGINE_DEFINITION_INVALID',
  'ENGINE_INPUT_INVALID',
]);
const AUTH: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'OCI_UNAUTHORIZED',
  'OCI_DENIED',
  'AUTH_TOKEN_FAILED',
  'AUTH_CREDENTIALS_INVALID',
  'AUTH_CREDENTIAL_HELPER_FAILED',
  'AUTH_CONFIG_INVALID',
  'API_UNAUTHENTICATED',
  'API_TOKEN_INVALID',
  'API_FORBIDDEN',
  'ENGINE_APPROVAL_NOT_ALLOWED',
]);
const NOT_FOUND: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'OCI_MANIFEST_UNKNOWN',
  'OCI_NAME_UNKNOWN',
  'OCI_BLOB_UNKNOWN',
  'OCI_PLATFORM_NOT_FOUND',
  'API_NOT_FOUND',
  'ENGINE_WORKFLOW_NOT_FOUND',
  'ENGINE_RUN_NOT_FOUND',
  'ENGINE_APPROVAL_NOT_FOUND',
]);

export function exitCodeFor(error: unknown): number {
  if (!(error instanceof AppError)) return ExitCode.Failure;
  if (error.code === 'ABORTED') return ExitCode.Interrupted;
  if (USAGE.has(error.code)) return ExitCode.Usage;
  if (AUTH.has(error.code)) return ExitCode.Auth;
  if (NOT_FOUND.has(error.code)) return ExitCode.NotFound;
  return ExitCode.Failure;
}

/** Sets a command's exit code without throwing (e.g. partial failures that were already reported). */
export function setExitCode(command: Command, code: number): void {
  (command as Command & { exitCode?: number }).exitCode = code;
}
