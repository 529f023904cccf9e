import { request } from 'undici';
import type { Blob, BuiltManifest } from './fixtures.js';
import { allContent } from './fixtures.js';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface CallOptions {
  headers?: Record<string, string>;
  body?: Buffer | string;
  token?: string;
}

/** One raw HTTP exchange with the registry; never throws on an HTTP status. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await request(/^https?:\/\//.test(path) ? path : `${base}${path}`, {
    method: method as 'GET',
    headers,
    body: options.body,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const body = Buffer.from(await response.body.arrayBuffer());
  let json: unknown;
  try {
    json = body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, body, json };
}

/** The `errors[0].code` of an OCI error body. */
export function errorCode(reply: Reply): string | undefined {
  return (reply.json as { errors?: { code?: string }[] } | undefined)?.errors?.[0]?.code;
}

export function header(reply: Reply, name: string): string | undefined {
  const value = reply.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** POST then PUT with the whole blob (distribution-spec "POST then PUT"). */
export async function pushBlob(base: string, repository: string, blob: Blob, token?: string): Promise<Reply> {
  const start = await call(base, 'POST', `/v2/${repository}/blobs/uploads/`, { token });
  if (start.status !== 202) return start;
  const location = header(start, 'location')!;
  const sep = location.includes('?') ? '&' : '?';
  return call(base, 'PUT', `${location}${sep}digest=${blob.digest}`, {
    token,
    body: blob.bytes,
    headers: { 'content-type': 'application/octet-stream' },
  });
}

export async function pushManifest(
  base: string,
  repository: string,
  reference: string,
  manifest: BuiltManifest | Blob,
  token?: string,
): Promise<Reply> {
  return call(base, 'PUT', `/v2/${repository}/manifests/${reference}`, {
    token,
    body: manifest.bytes,
    headers: { 'content-type': manifest.mediaType },
  });
}

/** Pushes every blob and child manifest, then the manifest under `tag`; throws on any failure. */
export async function pushImage(
  base: string,
  repository: string,
  tag: string,
  manifest: BuiltManifest,
  token?: string,
): Promise<void> {
  for (const item of allContent(manifest)) {
    const isManifest = item.mediaType.includes('manifest') || item.mediaType.includes('index');
    const reply = isManifest
      ? await pushManifest(base, repository, item === manifest ? tag : item.digest, item, token)
      : await pushBlob(base, repository, item, token);
    if (reply.status !== 201)
      throw new Error(
        `pushing ${item.digest} to ${repository} answered ${reply.status}: ${reply.body.toString('utf8')}`,
      );
  }
}
