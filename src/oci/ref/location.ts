import { AppError, SUPPORTED_ALGORITHMS, isDigest, redactText, type Digest } from '../../kernel/index.js';
import { TAG_RULE, isValidTag } from './grammar.js';
import { digestRule, parseReference, quote, type ImageReference } from './reference.js';

/** A copy source or destination as the CLI accepts it: a registry image or an OCI image layout directory. */
export type TargetSpec =
  | { kind: 'remote'; reference: ImageReference }
  | { kind: 'layout'; path: string; tag?: string; digest?: Digest };

/** skopeo's OCI layout transport (`oci:PATH[:TAG]`) and regctl's (`ocidir://PATH[:TAG]`). */
const LAYOUT_PREFIXES = ['ocidir://', 'oci:'] as const;

/** skopeo transports Airlock does not read or write, named so that users get a clear answer. */
const UNSUPPORTED_TRANSPORTS = new Set([
  'containers-storage',
  'dir',
  'docker-archive',
  'docker-daemon',
  'oci-archive',
  'sif',
  'tarball',
]);

/**
 * Parses a copy source or destination:
 *
 * - `oci:PATH`, `oci:PATH:TAG`, `oci:PATH@DIGEST` (skopeo) and `ocidir://PATH[:TAG][@DIGEST]`
 *   (regctl) name an OCI image layout directory;
 * - `docker://REF` or a bare reference names an image in a registry.
 *
 * A layout tag is what follows the last ":" when that text contains no "/" or "\"; a path
 * that itself contains ":" must therefore be written with a trailing ":TAG"
 * (`oci:/data/a:b:latest`), and a Windows path such as `oci:C:\images` needs no tag.
 */
export function parseTargetSpec(text: string): TargetSpec {
  for (const prefix of LAYOUT_PREFIXES) {
    if (text.startsWith(prefix)) return parseLayout(text.slice(prefix.length), text);
  }
  const transport = /^([a-z-]+):/.exec(text);
  if (
    transport &&
    UNSUPPORTED_TRANSPORTS.has(transport[1]!) &&
    !/^\d+(?:\/|$)/.test(text.slice(transport[0].length))
  ) {
    throw invalidLocation(
      text,
      `unsupported location ${quote(text)}: the "${transport[1]}:" transport is not supported; use docker://REFERENCE, oci:PATH[:TAG] or ocidir://PATH[:TAG]`,
    );
  }
  return { kind: 'remote', reference: parseReference(text) };
}

function parseLayout(rest: string, text: string): TargetSpec {
  const { remainder, digest } = splitLayoutDigest(rest, text);
  const { path, tag } = splitLayoutTag(remainder, text);
  if (path === '') {
    throw invalidLocation(
      text,
      `invalid OCI layout location ${quote(text)}: the directory path is missing, e.g. oci:./images:latest`,
    );
  }
  const spec: TargetSpec = { kind: 'layout', path };
  if (tag !== undefined) spec.tag = tag;
  if (digest !== undefined) spec.digest = digest;
  return spec;
}

/** A trailing `@ALGORITHM:…` with a supported algorithm is a digest; any other "@" belongs to the path. */
function splitLayoutDigest(rest: string, text: string): { remainder: string; digest?: Digest } {
  const at = rest.lastIndexOf('@');
  const candidate = rest.slice(at + 1);
  if (at < 0 || !SUPPORTED_ALGORITHMS.some((algorithm) => candidate.startsWith(`${algorithm}:`))) {
    return { remainder: rest };
  }
  if (!isDigest(candidate)) {
    throw invalidLocation(
      text,
      `invalid digest ${quote(candidate)} in ${quote(text)}: ${digestRule(candidate)}`,
    );
  }
  return { remainder: rest.slice(0, at), digest: candidate };
}

function splitLayoutTag(rest: string, text: string): { path: string; tag?: string } {
  const colon = rest.lastIndexOf(':');
  if (colon < 0) return { path: rest };
  const candidate = rest.slice(colon + 1);
  if (/[/\\]/.test(candidate)) return { path: rest };
  if (candidate === '') {
    throw invalidLocation(text, `invalid OCI layout location ${quote(text)}: ":" must be followed by a tag`);
  }
  if (!isValidTag(candidate)) {
    throw invalidLocation(text, `invalid tag ${quote(candidate)} in ${quote(text)}: ${TAG_RULE}`);
  }
  return { path: rest.slice(0, colon), tag: candidate };
}

function invalidLocation(text: string, message: string): AppError {
  return new AppError('OCI_REFERENCE_INVALID', message, {
    details: { reference: redactText(text.slice(0, 300)) },
  });
}
