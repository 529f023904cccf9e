import { describe, expect, it } from 'vitest';
import { type ErrorCode, OciError } from '../../kernel/index.js';
import { MAX_ERROR_BODY_BYTES, registryError } from './error-body.js';

const PYTHON = { registry: 'docker.io', repository: 'library/python', reference: '3.12-slim' };
const DIGEST = `sha256:${'e'.repeat(64)}`;

function body(...errors: { code: string; message?: string; detail?: unknown }[]): string {
  return JSON.stringify({ errors });
}

describe('registryError: distribution error bodies', () => {
  const cases: [string, number, ErrorCode][] = [
    ['BLOB_UNKNOWN', 404, 'OCI_BLOB_UNKNOWN'],
    ['BLOB_UPLOAD_INVALID', 400, 'OCI_BLOB_UPLOAD_INVALID'],
    ['BLOB_UPLOAD_UNKNOWN', 404, 'OCI_BLOB_UPLOAD_UNKNOWN'],
    ['DIGEST_INVALID', 400, 'OCI_DIGEST_INVALID'],
    ['MANIFEST_BLOB_UNKNOWN', 400, 'OCI_MANIFEST_BLOB_UNKNOWN'],
    ['MANIFEST_INVALID', 400, 'OCI_MANIFEST_INVALID'],
    ['MANIFEST_UNKNOWN', 404, 'OCI_MANIFEST_UNKNOWN'],
    ['NAME_INVALID', 400, 'OCI_NAME_INVALID'],
    ['NAME_UNKNOWN', 404, 'OCI_NAME_UNKNOWN'],
    ['SIZE_INVALID', 400, 'OCI_SIZE_INVALID'],
    ['UNAUTHORIZED', 401, 'OCI_UNAUTHORIZED'],
    ['DENIED', 403, 'OCI_DENIED'],
    ['UNSUPPORTED', 405, 'OCI_UNSUPPORTED'],
    ['TOOMANYREQUESTS', 429, 'OCI_TOO_MANY_REQUESTS'],
    ['RANGE_INVALID', 416, 'OCI_RANGE_INVALID'],
    ['TAG_INVALID', 400, 'OCI_TAG_INVALID'],
    ['manifest_unknown', 404, 'OCI_MANIFEST_UNKNOWN'],
  ];

  it.each(cases)('%s (%i) → %s', (code, status, expected) => {
    const error = registryError(status, body({ code, message: 'said by the registry' }), PYTHON);
    expect(error).toBeInstanceOf(OciError);
    expect(error.code).toBe(expected);
    expect(error.context.httpStatus).toBe(status);
    expect(error.message).toContain('said by the registry');
  });

  it('lets the body decide over the status', () => {
    // Some registries answer 404 with DENIED for repositories the caller may not see.
    expect(registryError(404, body({ code: 'DENIED' }), PYTHON).code).toBe('OCI_DENIED');
    expect(registryError(400, body({ code: 'TOOMANYREQUESTS' }), PYTHON).code).toBe('OCI_TOO_MANY_REQUESTS');
  });

  it('reports Docker Hub rate limiting with what to do', () => {
    const error = registryError(
      429,
      body({
        code: 'TOOMANYREQUESTS',
        message:
          'You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit',
      }),
      PYTHON,
    );
    expect(error.code).toBe('OCI_TOO_MANY_REQUESTS');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      'docker.io/library/python:3.12-slim: registry answered 429 (TOOMANYREQUESTS: You have reached your ' +
        'unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit) — the registry is ' +
        'rate-limiting; authenticate or wait for the quota window',
    );
  });

  it('lists every error the registry sent, without details', () => {
    const error = registryError(
      400,
      body(
        { code: 'MANIFEST_BLOB_UNKNOWN', message: 'blob unknown to registry', detail: { digest: DIGEST } },
        { code: 'MANIFEST_BLOB_UNKNOWN', message: '' },
      ),
      PYTHON,
    );
    expect(error.message).toContain(
      '(MANIFEST_BLOB_UNKNOWN: blob unknown to registry; MANIFEST_BLOB_UNKNOWN)',
    );
  });

  it('does not let a registry choose one of Airlock’s own codes', () => {
    for (const code of [
      'TIMEOUT',
      'REGISTRY_ERROR',
      'DIGEST_MISMATCH',
      'INSECURE_REFUSED',
      'MANIFEST_TOO_LARGE',
    ]) {
      const error = registryError(404, body({ code }), PYTHON, 'OCI_MANIFEST_UNKNOWN');
      expect(error.code, code).toBe('OCI_MANIFEST_UNKNOWN');
      expect(error.retryable, code).toBe(false);
    }
  });

  it('falls back to the status for unknown or malformed codes', () => {
    expect(registryError(403, body({ code: 'SOMETHING_NEW' }), PYTHON).code).toBe('OCI_DENIED');
    expect(registryError(401, '{"errors":[{"code":42}]}', PYTHON).code).toBe('OCI_UNAUTHORIZED');
    expect(registryError(500, '{"errors":"nope"}', PYTHON).code).toBe('OCI_REGISTRY_ERROR');
    expect(registryError(500, '{"errors":[null, "x"]}', PYTHON).code).toBe('OCI_REGISTRY_ERROR');
    expect(registryError(401, '{"errors": [', PYTHON).code).toBe('OCI_UNAUTHORIZED');
  });
});

describe('registryError: status fallbacks', () => {
  const cases: [number, ErrorCode][] = [
    [400, 'OCI_PROTOCOL_ERROR'],
    [401, 'OCI_UNAUTHORIZED'],
    [403, 'OCI_DENIED'],
    [404, 'OCI_NAME_UNKNOWN'],
    [405, 'OCI_UNSUPPORTED'],
    [409, 'OCI_PROTOCOL_ERROR'],
    [413, 'OCI_BODY_TOO_LARGE'],
    [416, 'OCI_RANGE_INVALID'],
    [429, 'OCI_TOO_MANY_REQUESTS'],
    [500, 'OCI_REGISTRY_ERROR'],
    [502, 'OCI_REGISTRY_ERROR'],
    [503, 'OCI_REGISTRY_ERROR'],
  ];

  it.each(cases)('%i without a body → %s', (status, expected) => {
    const error = registryError(status, '', PYTHON);
    expect(error.code).toBe(expected);
    expect(error.message.startsWith(`docker.io/library/python:3.12-slim: registry answered ${status}`)).toBe(
      true,
    );
  });

  it('uses what a 404 means for the request', () => {
    expect(
      registryError(404, '', { ...PYTHON, reference: undefined, digest: DIGEST }, 'OCI_BLOB_UNKNOWN').code,
    ).toBe('OCI_BLOB_UNKNOWN');
  });

  it('hints at credentials for 401 and 403', () => {
    expect(registryError(401, '', PYTHON).message).toContain('airlock login');
    expect(registryError(403, '', PYTHON).message).toContain('lack permission');
  });
});

describe('registryError: bodies that are not distribution errors', () => {
  it('shows a bounded, tag-free snippet of an HTML page', () => {
    const html = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>${'<p>upstream proxy error</p>'.repeat(
      2000,
    )}</body></html>`;
    const error = registryError(502, html, PYTHON);
    expect(error.code).toBe('OCI_REGISTRY_ERROR');
    expect(error.message).toContain('(502 Bad Gateway 502 Bad Gateway upstream proxy error');
    expect(error.message).not.toContain('<');
    expect(error.message).toContain('...)');
    expect(error.message.length).toBeLessThan(300);
  });

  it('shows other JSON as text', () => {
    const error = registryError(401, '{"details":"incorrect username or password"}', PYTHON);
    expect(error.message).toContain('incorrect username or password');
  });

  it('bounds what a registry says in JSON too', () => {
    const error = registryError(
      400,
      body({ code: 'MANIFEST_INVALID', message: 'x'.repeat(MAX_ERROR_BODY_BYTES) }),
      PYTHON,
    );
    expect(error.code).toBe('OCI_MANIFEST_INVALID');
    expect(error.message.length).toBeLessThan(300);
  });

  it('says nothing extra for an empty body', () => {
    expect(registryError(503, '   ', PYTHON).message).toBe(
      'docker.io/library/python:3.12-slim: registry answered 503',
    );
  });
});

describe('registryError: what the message names', () => {
  it('names registry, repository and tag or digest', () => {
    expect(registryError(404, '', PYTHON).message).toContain('docker.io/library/python:3.12-slim');
    expect(
      registryError(404, '', { registry: 'ghcr.io', repository: 'org/app', digest: DIGEST }).message,
    ).toContain(`ghcr.io/org/app@${DIGEST}`);
    expect(
      registryError(404, '', { registry: 'ghcr.io', repository: 'org/app', reference: DIGEST }).message,
    ).toContain(`ghcr.io/org/app@${DIGEST}`);
    expect(
      registryError(401, '', { registry: 'ghcr.io' }).message.startsWith('ghcr.io: registry answered 401'),
    ).toBe(true);
    expect(registryError(500, '', {}).message.startsWith('registry: registry answered 500')).toBe(true);
  });

  it('keeps the context in details', () => {
    const error = registryError(
      404,
      '',
      { ...PYTHON, reference: undefined, digest: DIGEST },
      'OCI_MANIFEST_UNKNOWN',
    );
    expect(error.details).toEqual({
      registry: 'docker.io',
      repository: 'library/python',
      digest: DIGEST,
      httpStatus: 404,
    });
  });

  it('redacts credentials a registry echoes back', () => {
    const error = registryError(
      401,
      body({ code: 'UNAUTHORIZED', message: 'bad token Bearer abcdefghijklmnop' }),
      PYTHON,
    );
    expect(error.message).not.toContain('abcdefghijklmnop');
  });
});
