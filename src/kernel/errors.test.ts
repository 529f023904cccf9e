import { describe, expect, it } from 'vitest';
import { errorCatalog } from './error-catalog.js';
import {
  AppError,
  CopyError,
  OciError,
  isAbortError,
  isAppError,
  isRetryable,
  toAppError,
} from './errors.js';

describe('AppError', () => {
  it('redacts credentials in its message', () => {
    const error = new AppError(
      'OCI_REGISTRY_UNREACHABLE',
      'GET https://alice:s3cret@registry.example/v2/ failed; sent Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload',
    );
    expect(error.message).not.toContain('s3cret');
    expect(error.message).not.toContain('alice');
    expect(error.message).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(error.message).toContain('registry.example/v2/');
    expect(JSON.stringify(error.toJSON())).not.toContain('s3cret');
  });

  it('takes status, retryable and name from the catalog and its class', () => {
    const error = new AppError('OCI_TOO_MANY_REQUESTS', 'slow down');
    expect(error.status).toBe(429);
    expect(error.retryable).toBe(errorCatalog.OCI_TOO_MANY_REQUESTS.retryable);
    expect(error.name).toBe('AppError');
    expect(new OciError('OCI_BLOB_UNKNOWN', 'gone').name).toBe('OciError');
    expect(new AppError('OCI_REGISTRY_ERROR', 'x', { retryable: false }).retryable).toBe(false);
  });

  it('keeps the cause', () => {
    const cause = new Error('socket hang up');
    expect(new AppError('INTERNAL', 'wrapped', { cause }).cause).toBe(cause);
    expect('cause' in new AppError('INTERNAL', 'no cause')).toBe(false);
  });

  it('serialises as code, message, details and retryable only', () => {
    const error = new AppError('CONFIG_INVALID', 'bad field', { details: { field: 'sources[0].tags' } });
    expect(error.toJSON()).toEqual({
      code: 'CONFIG_INVALID',
      message: 'bad field',
      details: { field: 'sources[0].tags' },
      retryable: false,
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual(error.toJSON());
  });
});

describe('OciError', () => {
  it('copies defined context fields into details', () => {
    const error = new OciError(
      'OCI_MANIFEST_UNKNOWN',
      'no such tag',
      { registry: 'ghcr.io', repository: 'org/app', reference: 'v1', digest: undefined, httpStatus: 404 },
      { details: { extra: true } },
    );
    expect(error.details).toEqual({
      registry: 'ghcr.io',
      repository: 'org/app',
      reference: 'v1',
      httpStatus: 404,
      extra: true,
    });
    expect(error.context.repository).toBe('org/app');
  });
});

describe('CopyError', () => {
  it('carries op, side and the code, details and retryability of an AppError cause', () => {
    const cause = new OciError('OCI_TOO_MANY_REQUESTS', 'docker.io/library/python: 429', {
      registry: 'docker.io',
      retryAfterMs: 30_000,
    });
    const error = new CopyError('fetch-blob', 'source', cause);
    expect(error.code).toBe('OCI_TOO_MANY_REQUESTS');
    expect(error.op).toBe('fetch-blob');
    expect(error.side).toBe('source');
    expect(error.retryable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({
      op: 'fetch-blob',
      side: 'source',
      registry: 'docker.io',
      retryAfterMs: 30_000,
    });
    expect(error.message).toBe('fetch-blob failed on the source: docker.io/library/python: 429');
    expect(error.status).toBe(429);
  });

  it('falls back to COPY_FAILED for foreign causes and redacts their text', () => {
    const error = new CopyError(
      'push-blob',
      'destination',
      new Error('PUT https://u:pw@dest.example/v2/x failed'),
    );
    expect(error.code).toBe('COPY_FAILED');
    expect(error.retryable).toBe(false);
    expect(error.details).toEqual({ op: 'push-blob', side: 'destination' });
    expect(error.message).not.toContain(':pw@');
    expect(new CopyError('tag', 'destination', 'plain string').message).toContain('plain string');
  });

  it('uses a given message', () => {
    expect(new CopyError('resolve', 'source', new Error('x'), 'could not resolve').message).toBe(
      'could not resolve',
    );
  });
});

describe('helpers', () => {
  it('toAppError keeps AppErrors, maps aborts and wraps the rest', () => {
    const app = new AppError('USAGE_INVALID', 'x');
    expect(toAppError(app)).toBe(app);
    const abort = new DOMException('aborted', 'AbortError');
    expect(toAppError(abort).code).toBe('ABORTED');
    const wrapped = toAppError(new TypeError('boom'));
    expect(wrapped.code).toBe('INTERNAL');
    expect(wrapped.message).toBe('boom');
    expect(toAppError('text').message).toBe('text');
  });

  it('predicates', () => {
    expect(isAppError(new AppError('INTERNAL', 'x'))).toBe(true);
    expect(isAppError(new Error('x'))).toBe(false);
    expect(isRetryable(new AppError('OCI_TIMEOUT', 'x'))).toBe(true);
    expect(isRetryable(new AppError('OCI_MANIFEST_INVALID', 'x'))).toBe(false);
    expect(isRetryable(new Error('x'))).toBe(false);
    expect(isAbortError(new AppError('ABORTED', 'x'))).toBe(true);
    expect(isAbortError(Object.assign(new Error('x'), { name: 'AbortError' }))).toBe(true);
    expect(isAbortError(new AppError('INTERNAL', 'x'))).toBe(false);
  });
});
