import { type ErrorCode, OciError, type OciErrorContext, isErrorCode, specOf } from '../../kernel/index.js';

/** Bound on error bodies we read: registries behind proxies sometimes answer with whole HTML pages. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

interface RegistryErrorEntry {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
}

/**
 * Turns a failed registry response into an OciError. The distribution-spec v1.1 error
 * body (`{"errors":[{"code","message","detail"}]}`) decides the code when present;
 * otherwise the status does, with `notFound` naming what a 404 means for this request.
 */
export function registryError(
  status: number,
  body: string,
  context: OciErrorContext,
  notFound: ErrorCode = 'OCI_NAME_UNKNOWN',
): OciError {
  const entries = parseErrorEntries(body);
  const firstEntry = entries[0];
  const code = (firstEntry && codeFromRegistry(firstEntry.code)) ?? codeFromStatus(status, notFound);
  const what = describeTarget(context);
  const said = entries
    .map((e) => [e.code, e.message].filter((x) => typeof x === 'string' && x !== '').join(': '))
    .filter((x) => x !== '')
    .join('; ');
  const snippet = bounded(said || plainText(body));
  const message = `${what}: registry answered ${status}${snippet ? ` (${snippet})` : ''}${hint(code)}`;
  return new OciError(code, message, { ...context, httpStatus: status });
}

function parseErrorEntries(body: string): RegistryErrorEntry[] {
  if (!body.trimStart().startsWith('{')) return [];
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    return Array.isArray(parsed.errors)
      ? (parsed.errors as RegistryErrorEntry[]).filter((e) => e && typeof e === 'object')
      : [];
  } catch {
    return [];
  }
}

function codeFromRegistry(code: unknown): ErrorCode | undefined {
  if (typeof code !== 'string') return undefined;
  const upper = code.toUpperCase();
  const candidate = `OCI_${upper === 'TOOMANYREQUESTS' ? 'TOO_MANY_REQUESTS' : upper}`;
  // Only a distribution error code selects its catalog entry: a registry must not pick one of
  // Airlock's own codes (OCI_TIMEOUT, OCI_DIGEST_MISMATCH, …) and with it their retry semantics.
  return isErrorCode(candidate) && specOf(candidate).oci === upper ? candidate : undefined;
}

function codeFromStatus(status: number, notFound: ErrorCode): ErrorCode {
  if (status === 401) return 'OCI_UNAUTHORIZED';
  if (status === 403) return 'OCI_DENIED';
  if (status === 404) return notFound;
  if (status === 405) return 'OCI_UNSUPPORTED';
  if (status === 413) return 'OCI_BODY_TOO_LARGE';
  if (status === 416) return 'OCI_RANGE_INVALID';
  if (status === 429) return 'OCI_TOO_MANY_REQUESTS';
  if (status >= 500) return 'OCI_REGISTRY_ERROR';
  return 'OCI_PROTOCOL_ERROR';
}

function describeTarget(context: OciErrorContext): string {
  const name = [context.registry, context.repository].filter(Boolean).join('/');
  const at = context.reference ?? context.digest;
  if (name && at) return `${name}${/^[a-z0-9]+:/.test(at) ? '@' : ':'}${at}`;
  return name || 'registry';
}

function plainText(body: string): string {
  return body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** What the registry said is shown up to 200 characters, whether it came as JSON or as a page. */
function bounded(text: string): string {
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

function hint(code: ErrorCode): string {
  switch (code) {
    case 'OCI_UNAUTHORIZED':
      return ' — log in with `airlock login <registry>` or configure credentials';
    case 'OCI_DENIED':
      return ' — the credentials in use lack permission for this repository';
    case 'OCI_TOO_MANY_REQUESTS':
      return ' — the registry is rate-limiting; authenticate or wait for the quota window';
    default:
      return '';
  }
}
