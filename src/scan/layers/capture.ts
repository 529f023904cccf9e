import { ChunkChannel } from './chunk-channel.js';
import type { FileCapture } from './fs-tree.js';
import type { CaptureRequest, EntryInfo, FileSelector } from './types.js';

export type Probe = Extract<CaptureRequest, { kind: 'probe' }>['probe'];

export interface ProbeRequest {
  selector: FileSelector;
  probe: Probe;
}

/** What the selectors asked for one file. */
export interface FileRequests {
  /** The largest `maxBytes` of the content requests; -1 when none asked for content. */
  maxBytes: number;
  probes: ProbeRequest[];
}

/** Reports a selector or probe that threw, without stopping the scan. */
export type DetectorFault = (selector: FileSelector, error: unknown, entry: EntryInfo) => void;

/**
 * Offers a file to every selector. Several may want it: contents are read once, up to the
 * largest cap asked for, and each probe gets its own view of the stream.
 */
export function selectRequests(
  entry: EntryInfo,
  selectors: readonly FileSelector[],
  onFault: DetectorFault,
): FileRequests | undefined {
  let maxBytes = -1;
  let probes: ProbeRequest[] | undefined;
  for (const selector of selectors) {
    let request: CaptureRequest | undefined;
    try {
      request = selector.select(entry);
    } catch (error) {
      onFault(selector, error, entry);
      continue;
    }
    if (request === undefined) continue;
    if (request.kind === 'content') maxBytes = Math.max(maxBytes, request.maxBytes);
    else (probes ??= []).push({ selector, probe: request.probe });
  }
  if (maxBytes < 0 && probes === undefined) return undefined;
  return { maxBytes, probes: probes ?? [] };
}

/**
 * Reads a file's stream to its end: into one buffer of the file's size when `content` is set,
 * and through each probe. Resolves once every probe has settled; a probe that throws is
 * reported and left out of the result.
 */
export async function captureStream(
  body: AsyncIterable<Buffer>,
  entry: EntryInfo,
  content: boolean,
  probes: readonly ProbeRequest[],
  onFault: DetectorFault,
): Promise<FileCapture> {
  const buffer = content ? Buffer.allocUnsafe(entry.size) : undefined;
  let offset = 0;
  const channels = probes.map(() => new ChunkChannel());
  const running = probes.map((request, i) => runProbe(request.probe, channels[i]!, entry));
  try {
    for await (const chunk of body) {
      if (buffer !== undefined) offset += chunk.copy(buffer, offset);
      for (const channel of channels) {
        const wait = channel.offer(chunk);
        if (wait !== undefined) await wait;
      }
    }
    for (const channel of channels) channel.end();
  } catch (error) {
    for (const channel of channels) channel.fail(error);
    await Promise.all(running);
    throw error;
  }
  const capture: FileCapture = {};
  if (buffer !== undefined) capture.content = offset === buffer.length ? buffer : buffer.subarray(0, offset);
  if (probes.length > 0) capture.probes = collectResults(probes, await Promise.all(running), entry, onFault);
  return capture;
}

/**
 * A hard link shares its target's bytes, which were read (or not) when the target went by:
 * contents and probe results the target holds are reused, and probes the target did not run
 * are run over its contents when those were kept.
 */
export async function captureFromTarget(
  target: FileCapture | undefined,
  entry: EntryInfo,
  content: boolean,
  probes: readonly ProbeRequest[],
  onFault: DetectorFault,
): Promise<{ capture: FileCapture; missing: boolean }> {
  const capture: FileCapture = {};
  let missing = false;
  if (content) {
    if (target?.content !== undefined) capture.content = target.content;
    else missing = true;
  }
  const results = new Map<FileSelector, unknown>();
  for (const request of probes) {
    if (target?.probes?.has(request.selector)) {
      results.set(request.selector, target.probes.get(request.selector));
    } else if (target?.content !== undefined) {
      const outcome = await runProbe(request.probe, oneChunk(target.content), entry);
      if (outcome.ok) results.set(request.selector, outcome.value);
      else onFault(request.selector, outcome.error, entry);
    } else {
      missing = true;
    }
  }
  if (results.size > 0) capture.probes = results;
  return { capture, missing };
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

async function runProbe(
  probe: Probe,
  chunks: ChunkChannel | AsyncIterable<Buffer>,
  entry: EntryInfo,
): Promise<Outcome> {
  try {
    return { ok: true, value: await probe(chunks, entry) };
  } catch (error) {
    return { ok: false, error };
  } finally {
    // Whatever the probe did not read is dropped, never waited for.
    if (chunks instanceof ChunkChannel) chunks.detach();
  }
}

function collectResults(
  probes: readonly ProbeRequest[],
  outcomes: Outcome[],
  entry: EntryInfo,
  onFault: DetectorFault,
): Map<FileSelector, unknown> {
  const results = new Map<FileSelector, unknown>();
  probes.forEach((request, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) results.set(request.selector, outcome.value);
    else onFault(request.selector, outcome.error, entry);
  });
  return results;
}

async function* oneChunk(content: Buffer): AsyncGenerator<Buffer> {
  if (content.length > 0) yield content;
}
