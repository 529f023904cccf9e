/** An inclusive byte range. */
export interface ByteRange {
  start: number;
  end: number;
}

const RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * A single-range `Range` header (RFC 9110 §14.2) against a representation of `size`
 * bytes: the range to send, `'unsatisfiable'` (416), or undefined to send everything —
 * for an absent, malformed or multi-range header, which a server may ignore.
 */
export function parseRangeHeader(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const match = RANGE.exec(header.trim());
  if (!match) return undefined;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return undefined;
  return { start, end };
}

const CHUNK_RANGE = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/;

/**
 * A chunk's `Content-Range` on an upload PATCH or PUT. The spec form is `<start>-<end>`
 * (distribution-spec v1.1 "Pushing a blob in chunks"); the RFC 9110 form `bytes a-b/n` is
 * accepted too. Undefined when malformed.
 */
export function parseContentRange(header: string): ByteRange | undefined {
  const match = CHUNK_RANGE.exec(header.trim());
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return undefined;
  return { start, end };
}
