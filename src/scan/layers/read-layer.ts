import type { Readable } from 'node:stream';
import { abortedError, formatBytes, throwIfAborted } from '../../kernel/index.js';
import { LayerPipelineError, pumpLayer, readHead } from './decompress.js';
import { LayerEntries, type ImageContext } from './layer-entries.js';
import { LayerFormatError, LayerLimitError, LayerReadError } from './layer-errors.js';
import { SNIFF_BYTES, sniffFormat, type LayerFormat } from './layer-format.js';
import { LayerMeter } from './layer-meter.js';
import { LayerNoticeCode } from './notices.js';
import { createTarSink } from './tar-reader.js';
import type { LayerSource } from './types.js';

export interface ReadLayerContext extends ImageContext {
  signal?: AbortSignal;
}

/**
 * Streams one layer into the merged tree. A limit or corrupt data ends the layer with a notice
 * and keeps what was read before; `stop` means an image-wide limit was reached and no further
 * layer should be read. A blob that cannot be read rejects with a {@link LayerReadError}.
 */
export async function readLayer(
  layer: LayerSource,
  index: number,
  context: ReadLayerContext,
): Promise<'continue' | 'stop'> {
  const { signal } = context;
  throwIfAborted(signal);
  const { digest } = layer.descriptor;
  const source = await openLayer(layer, index, signal);
  const onAbort = (): void => {
    source.destroy(abortedError(signal));
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const meter = new LayerMeter(context.limits, context.totals);
  try {
    await pump(layer, index, source, meter, context);
    return 'continue';
  } catch (error) {
    if (signal?.aborted) throw abortedError(signal);
    if (error instanceof LayerPipelineError) {
      if (error.origin === 'source') throw new LayerReadError(index, digest, error.error);
      throw error.error;
    }
    return reportLimitOrFormat(error, `layer ${index} (${digest})`, meter, context);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    source.destroy();
  }
}

async function pump(
  layer: LayerSource,
  index: number,
  source: Readable,
  meter: LayerMeter,
  context: ReadLayerContext,
): Promise<void> {
  let head: { head: Buffer; stream: Readable };
  try {
    head = await readHead(source, SNIFF_BYTES);
  } catch (error) {
    throw new LayerPipelineError('source', error);
  }
  const sniffed = sniffFormat(head.head);
  if (sniffed.format === undefined) {
    context.notices.add(
      'warning',
      LayerNoticeCode.CompressionUnsupported,
      `layer ${index} (${layer.descriptor.digest}) was not read: its blob (${layer.descriptor.mediaType}) holds ${sniffed.description}; gzip, zstd and uncompressed tar layers are supported`,
    );
    return;
  }
  const sink = createTarSink(new LayerEntries(context, index).handle, {
    meter,
    count: countedBySink(sniffed.format),
  });
  await pumpLayer(sniffed.format, head.stream, sink, meter, context.limits.maxDecompressionRatio);
}

function countedBySink(format: LayerFormat): 'output' | 'input-and-output' | 'none' {
  if (format === 'tar') return 'input-and-output';
  return format === 'gzip' ? 'output' : 'none';
}

function reportLimitOrFormat(
  error: unknown,
  name: string,
  meter: LayerMeter,
  context: ReadLayerContext,
): 'continue' | 'stop' {
  if (error instanceof LayerLimitError) {
    context.notices.add(
      'warning',
      LayerNoticeCode.LayerLimit,
      `${name} was abandoned after ${formatBytes(meter.decompressed)}: ${error.message}; files after that point are not inventoried`,
    );
    return error.scope === 'image' ? 'stop' : 'continue';
  }
  if (error instanceof LayerFormatError) {
    context.notices.add(
      'warning',
      LayerNoticeCode.LayerUnreadable,
      `${name} is corrupt after ${formatBytes(meter.decompressed)}: ${error.message}; files before that point are kept`,
    );
    return 'continue';
  }
  throw error;
}

async function openLayer(
  layer: LayerSource,
  index: number,
  signal: AbortSignal | undefined,
): Promise<Readable> {
  try {
    return await layer.open(signal);
  } catch (error) {
    if (signal?.aborted) throw abortedError(signal);
    throw new LayerReadError(index, layer.descriptor.digest, error);
  }
}
