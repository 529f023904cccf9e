/**
 * The error-code catalog: every code Airlock can raise, with how the HTTP API and the
 * built-in registry render it. One table, so the registry's OCI error bodies, the API's
 * problem+json types and the CLI's exit codes never drift apart.
 *
 * `oci` is the error code of the OCI distribution-spec v1.1 ("Error Codes" section) that
 * the registry answers with; codes without one render as `UNKNOWN` there.
 */
export interface ErrorSpec {
  /** HTTP status the API and registry answer with. */
  readonly status: number;
  /** Distribution-spec error code, when the error has a protocol equivalent. */
  readonly oci?: string;
  /** Short human title, stable; used as the problem+json `title`. */
  readonly title: string;
  /** Whether trying the same operation again may succeed. */
  readonly retryable: boolean;
}

export const errorCatalog = {
  // Distribution-spec v1.1 codes, in the spec's order.
  OCI_BLOB_UNKNOWN: { status: 404, oci: 'BLOB_UNKNOWN', title: 'blob unknown to registry', retryable: false },
  OCI_BLOB_UPLOAD_INVALID: {
    status: 400,
    oci: 'BLOB_UPLOAD_INVALID',
    title: 'blob upload invalid',
    retryable: false,
  },
  OCI_BLOB_UPLOAD_UNKNOWN: {
    status: 404,
    oci: 'BLOB_UPLOAD_UNKNOWN',
    title: 'blob upload unknown to registry',
    retryable: false,
  },
  OCI_DIGEST_INVALID: {
    status: 400,
    oci: 'DIGEST_INVALID',
    title: 'provided digest did not match uploaded content',
    retryable: false,
  },
  OCI_MANIFEST_BLOB_UNKNOWN: {
    status: 404,
    oci: 'MANIFEST_BLOB_UNKNOWN',
    title: 'manifest references a manifest or blob unknown to registry',
    retryable: false,
  },
  OCI_MANIFEST_INVALID: { status: 400, oci: 'MANIFEST_INVALID', title: 'manifest invalid', retryable: false },
  OCI_MANIFEST_UNKNOWN: {
    status: 404,
    oci: 'MANIFEST_UNKNOWN',
    title: 'manifest unknown to registry',
    retryable: false,
  },
  OCI_NAME_INVALID: { status: 400, oci: 'NAME_INVALID', title: 'invalid repository name', retryable: false },
  OCI_NAME_UNKNOWN: {
    status: 404,
    oci: 'NAME_UNKNOWN',
    title: 'repository name not known to registry',
    retryable: false,
  },
  OCI_SIZE_INVALID: {
    status: 400,
    oci: 'SIZE_INVALID',
    title: 'provided length did not match content length',
    retryable: false,
  },
  OCI_UNAUTHORIZED: { status: 401, oci: 'UNAUTHORIZED', title: 'authentication required', retryable: false },
  OCI_DENIED: {
    status: 403,
    oci: 'DENIED',
    title: 'requested access to the resource is denied',
    retryable: false,
  },
  OCI_UNSUPPORTED: {
    status: 405,
    oci: 'UNSUPPORTED',
    title: 'the operation is unsupported',
    retryable: false,
  },
  OCI_TOO_MANY_REQUESTS: { status: 429, oci: 'TOOMANYREQUESTS', title: 'too many requests', retryable: true },
  // Codes CNCF distribution uses beyond the spec's list.
  OCI_RANGE_INVALID: { status: 416, oci: 'RANGE_INVALID', title: 'invalid content range', retryable: false },
  OCI_TAG_INVALID: {
    status: 400,
    oci: 'TAG_INVALID',
    title: 'manifest tag did not match URI',
    retryable: false,
  },
  OCI_PAGINATION_NUMBER_INVALID: {
    status: 400,
    oci: 'PAGINATION_NUMBER_INVALID',
    title: 'invalid number of results requested',
    retryable: false,
  },
  OCI_MANIFEST_TOO_LARGE: {
    status: 413,
    oci: 'MANIFEST_INVALID',
    title: 'manifest exceeds the size limit',
    retryable: false,
  },
  OCI_BODY_TOO_LARGE: {
    status: 413,
    oci: 'SIZE_INVALID',
    title: 'request body exceeds the size limit',
    retryable: false,
  },
  // Client-side protocol failures.
  OCI_REFERENCE_INVALID: {
    status: 400,
    oci: 'NAME_INVALID',
    title: 'invalid image reference',
    retryable: false,
  },
  OCI_MANIFEST_SCHEMA1_UNSUPPORTED: {
    status: 415,
    oci: 'MANIFEST_INVALID',
    title: 'Docker schema 1 manifests are not supported',
    retryable: false,
  },
  OCI_MEDIA_TYPE_UNSUPPORTED: {
    status: 415,
    oci: 'MANIFEST_INVALID',
    title: 'unsupported media type',
    retryable: false,
  },
  OCI_DIGEST_MISMATCH: { status: 502, title: 'content does not match its digest', retryable: true },
  OCI_CONTENT_TRUNCATED: { status: 502, title: 'content ended before its declared size', retryable: true },
  OCI_REGISTRY_UNREACHABLE: { status: 502, title: 'registry unreachable', retryable: true },
  OCI_REGISTRY_ERROR: { status: 502, title: 'registry server error', retryable: true },
  OCI_TIMEOUT: { status: 504, title: 'registry request timed out', retryable: true },
  OCI_PROTOCOL_ERROR: { status: 502, title: 'unexpected registry response', retryable: false },
  OCI_INSECURE_REFUSED: {
    status: 400,
    title: 'plain HTTP refused for a registry not marked insecure',
    retryable: false,
  },
  OCI_PLATFORM_NOT_FOUND: {
    status: 404,
    oci: 'MANIFEST_UNKNOWN',
    title: 'no manifest for the requested platform',
    retryable: false,
  },
  OCI_LAYOUT_INVALID: { status: 400, title: 'invalid OCI image layout', retryable: false },
  // Authentication.
  AUTH_CHALLENGE_INVALID: {
    status: 502,
    title: 'registry sent an unusable authentication challenge',
    retryable: false,
  },
  AUTH_TOKEN_FAILED: { status: 401, oci: 'UNAUTHORIZED', title: 'token request failed', retryable: false },
  AUTH_CREDENTIALS_INVALID: {
    status: 401,
    oci: 'UNAUTHORIZED',
    title: 'credentials rejected',
    retryable: false,
  },
  AUTH_CREDENTIAL_HELPER_FAILED: { status: 500, title: 'credential helper failed', retryable: false },
  AUTH_CONFIG_INVALID: { status: 400, title: 'invalid credentials configuration', retryable: false },
  // Copy engine.
  COPY_FAILED: { status: 502, title: 'copy failed', retryable: false },
  // Input, configuration, generic.
  USAGE_INVALID: { status: 400, title: 'invalid command usage', retryable: false },
  CONFIG_INVALID: { status: 400, title: 'invalid configuration', retryable: false },
  ABORTED: { status: 499, title: 'operation cancelled', retryable: false },
  INTERNAL: { status: 500, oci: 'UNKNOWN', title: 'internal error', retryable: false },
  // Built-in registry.
  REGISTRY_ENDPOINT_UNKNOWN: {
    status: 404,
    oci: 'UNSUPPORTED',
    title: 'no such registry endpoint',
    retryable: false,
  },
  REGISTRY_TOKEN_REQUEST_INVALID: {
    status: 400,
    oci: 'UNSUPPORTED',
    title: 'invalid token request',
    retryable: false,
  },
  REGISTRY_STORAGE_FAILED: { status: 500, oci: 'UNKNOWN', title: 'registry storage failed', retryable: true },
  // OCI image layouts.
  OCI_LAYOUT_IO_FAILED: {
    status: 500,
    title: 'OCI image layout could not be read or written',
    retryable: false,
  },
  // Image scanning.
  SCAN_PACKAGE_DB_INVALID: {
    status: 422,
    title: 'package database in the image could not be parsed',
    retryable: false,
  },
  // SBOM documents.
  SCAN_SBOM_INVALID: { status: 422, title: 'invalid SBOM document', retryable: false },
  SCAN_SBOM_UNSUPPORTED: { status: 415, title: 'unsupported SBOM format or version', retryable: false },
  // Image layer reading.
  SCAN_LAYER_READ_FAILED: { status: 502, title: 'image layer could not be read', retryable: true },
  SCAN_LAYER_FORMAT_INVALID: {
    status: 422,
    title: 'image layer is not a readable tar archive',
    retryable: false,
  },
  SCAN_LIMIT_EXCEEDED: { status: 422, title: 'image exceeds a scan limit', retryable: false },
  // Vulnerability data.
  SCAN_VULNDB_SOURCE_INVALID: {
    status: 422,
    title: 'vulnerability data source could not be read',
    retryable: false,
  },
  SCAN_VULNDB_DOWNLOAD_FAILED: { status: 502, title: 'vulnerability data download failed', retryable: true },
  SCAN_VEX_INVALID: { status: 422, title: 'invalid OpenVEX document', retryable: false },
  SCAN_REPORT_INVALID: { status: 422, title: 'invalid scanner report', retryable: false },
  SCAN_REPORT_IMAGE_MISMATCH: {
    status: 409,
    title: 'scanner report is about another image',
    retryable: false,
  },
  // Workflow engine, as the HTTP API renders it.
  ENGINE_DEFINITION_INVALID: { status: 422, title: 'invalid workflow definition', retryable: false },
  ENGINE_WORKFLOW_NOT_FOUND: { status: 404, title: 'workflow not found', retryable: false },
  ENGINE_RUN_NOT_FOUND: { status: 404, title: 'run not found', retryable: false },
  ENGINE_RUN_STATE_CONFLICT: {
    status: 409,
    title: 'the run is not in a state that allows this',
    retryable: false,
  },
  ENGINE_INPUT_INVALID: { status: 422, title: 'invalid workflow inputs', retryable: false },
  ENGINE_APPROVAL_NOT_FOUND: { status: 404, title: 'no pending approval', retryable: false },
  ENGINE_APPROVAL_NOT_ALLOWED: {
    status: 403,
    title: 'not an approver of this approval',
    retryable: false,
  },
  ENGINE_EVENT_INVALID: { status: 400, title: 'unrecognised registry event', retryable: false },
  ENGINE_ACTION_UNKNOWN: { status: 422, title: 'unknown action', retryable: false },
  ENGINE_ACTION_FAILED: { status: 502, title: 'action failed', retryable: false },
  ENGINE_STEP_TIMEOUT: { status: 504, title: 'step timed out', retryable: true },
  ENGINE_APPROVAL_DENIED: { status: 409, title: 'approval denied', retryable: false },
  // HTTP API (server and client).
  API_UNAUTHENTICATED: { status: 401, title: 'API authentication required', retryable: false },
  API_TOKEN_INVALID: { status: 401, title: 'API token invalid, expired or revoked', retryable: false },
  API_FORBIDDEN: { status: 403, title: 'permission denied', retryable: false },
  API_REQUEST_INVALID: { status: 400, title: 'invalid request', retryable: false },
  API_NOT_FOUND: { status: 404, title: 'resource not found', retryable: false },
  API_PAYLOAD_TOO_LARGE: { status: 413, title: 'request body too large', retryable: false },
  API_MEDIA_TYPE_UNSUPPORTED: { status: 415, title: 'unsupported request media type', retryable: false },
  API_NOT_READY: { status: 503, title: 'service not ready', retryable: true },
  API_UNREACHABLE: { status: 502, title: 'Airlock API unreachable', retryable: true },
  API_RESPONSE_INVALID: { status: 502, title: 'unexpected Airlock API response', retryable: false },
  // Built-in workflow actions.
  ACTION_INPUT_INVALID: { status: 422, title: 'invalid action input', retryable: false },
  ACTION_SERVICE_MISSING: {
    status: 500,
    title: 'a service the action needs is not provided by this process',
    retryable: false,
  },
  ACTION_SECRET_MISSING: { status: 422, title: 'secret not configured', retryable: false },
  ACTION_HTTP_STATUS: { status: 502, title: 'endpoint answered with an error status', retryable: false },
  ACTION_HTTP_UNREACHABLE: { status: 502, title: 'endpoint unreachable', retryable: true },
  ACTION_OUTPUT_INVALID: { status: 502, title: 'action output is not JSON', retryable: false },
  ACTION_OUTPUT_TOO_LARGE: { status: 502, title: 'action output exceeds the size limit', retryable: false },
  ACTION_COMMAND_FAILED: { status: 502, title: 'command failed', retryable: false },
  ACTION_COMMAND_TIMEOUT: { status: 504, title: 'command timed out', retryable: true },
  // Workflow expressions (CEL).
  ENGINE_EXPRESSION_INVALID: { status: 422, title: 'invalid workflow expression', retryable: false },
  ENGINE_EXPRESSION_FAILED: { status: 422, title: 'workflow expression failed', retryable: false },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCatalog;

export function specOf(code: ErrorCode): ErrorSpec {
  return errorCatalog[code];
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCatalog, value);
}
