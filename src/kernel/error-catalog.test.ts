import { describe, expect, it } from 'vitest';
import { type ErrorCode, type ErrorSpec, errorCatalog, isErrorCode, specOf } from './error-catalog.js';

/**
 * Every error code of distribution-spec v1.1 ("Error Codes", code-1 … code-14) with the status
 * the spec gives it: from the endpoint table (end-1 … end-13) and the prose of the workflow
 * sections (404 for unknown blobs, manifests and repositories; 400 for bad digests and sizes
 * on upload; 405 for unsupported operations such as disabled deletion), and from the
 * Docker Registry HTTP API V2 document the spec is based on for the 401, 403 and 429 answers.
 */
const SPEC_STATUS: Record<string, number> = {
  BLOB_UNKNOWN: 404,
  BLOB_UPLOAD_INVALID: 400,
  BLOB_UPLOAD_UNKNOWN: 404,
  DIGEST_INVALID: 400,
  // end-7 (PUT manifest) lists 404 as its failure status; CNCF distribution answers 400.
  MANIFEST_BLOB_UNKNOWN: 404,
  MANIFEST_INVALID: 400,
  MANIFEST_UNKNOWN: 404,
  NAME_INVALID: 400,
  NAME_UNKNOWN: 404,
  SIZE_INVALID: 400,
  UNAUTHORIZED: 401,
  DENIED: 403,
  UNSUPPORTED: 405,
  TOOMANYREQUESTS: 429,
};

/** Codes CNCF distribution sends beyond the spec's list, and the catch-all. */
const DISTRIBUTION_EXTRAS = ['RANGE_INVALID', 'TAG_INVALID', 'PAGINATION_NUMBER_INVALID', 'UNKNOWN'];

const entries = Object.entries(errorCatalog) as [ErrorCode, ErrorSpec][];

describe('error catalog', () => {
  it.each(Object.entries(SPEC_STATUS))('renders distribution code %s with status %i', (oci, status) => {
    const rendering = entries.filter(([, spec]) => spec.oci === oci);
    expect(rendering.length, `no catalog entry renders ${oci}`).toBeGreaterThan(0);
    expect(rendering.map(([, spec]) => spec.status)).toContain(status);
  });

  it('gives each distribution code its own entry, named after it', () => {
    for (const oci of Object.keys(SPEC_STATUS)) {
      const name = `OCI_${oci === 'TOOMANYREQUESTS' ? 'TOO_MANY_REQUESTS' : oci}`;
      expect(isErrorCode(name), name).toBe(true);
      expect(specOf(name as ErrorCode)).toMatchObject({ oci, status: SPEC_STATUS[oci] });
    }
  });

  it('renders only codes a distribution client understands', () => {
    const known = new Set([...Object.keys(SPEC_STATUS), ...DISTRIBUTION_EXTRAS]);
    for (const [code, spec] of entries) {
      if (spec.oci !== undefined) expect(known.has(spec.oci), `${code} renders ${spec.oci}`).toBe(true);
    }
  });

  it('gives every code a title, an error status and a stable name', () => {
    for (const [code, spec] of entries) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/);
      expect(spec.title.trim(), code).not.toBe('');
      expect(spec.status, code).toBeGreaterThanOrEqual(400);
      expect(spec.status, code).toBeLessThan(600);
      expect(typeof spec.retryable, code).toBe('boolean');
    }
  });

  it('gives every title its own code', () => {
    const titles = entries.map(([, spec]) => spec.title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it('marks rate limits and server-side failures retryable, client mistakes not', () => {
    expect(specOf('OCI_TOO_MANY_REQUESTS').retryable).toBe(true);
    expect(specOf('OCI_REGISTRY_ERROR').retryable).toBe(true);
    expect(specOf('OCI_TIMEOUT').retryable).toBe(true);
    for (const [code, spec] of entries) {
      if (spec.status === 400 || spec.status === 401 || spec.status === 403)
        expect(spec.retryable, code).toBe(false);
    }
  });

  it('isErrorCode accepts catalog keys only', () => {
    expect(isErrorCode('OCI_BLOB_UNKNOWN')).toBe(true);
    for (const value of ['BLOB_UNKNOWN', 'toString', '__proto__', 'constructor', '', 42, undefined]) {
      expect(isErrorCode(value)).toBe(false);
    }
  });
});
