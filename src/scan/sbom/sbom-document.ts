import { AppError } from '../../kernel/index.js';
import type { CycloneDxBom } from './cyclonedx-model.js';
import { readCycloneDx } from './cyclonedx-reader.js';
import { isRecord } from './json-value.js';
import type { SpdxDocument } from './spdx-model.js';
import { readSpdx } from './spdx-reader.js';
import type { ParsedSbom, ReadSbomOptions, SbomFormat } from './types.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** CycloneDX (`bomFormat`) or SPDX (`spdxVersion`), from the document's own fields. */
export function detectSbomFormat(document: unknown): SbomFormat | undefined {
  if (!isRecord(document)) return undefined;
  if (document.bomFormat === 'CycloneDX') return 'cyclonedx';
  if (typeof document.spdxVersion === 'string') return 'spdx';
  return undefined;
}

/** Reads a parsed JSON SBOM of either format. */
export function readSbom(document: unknown, options: ReadSbomOptions = {}): ParsedSbom {
  const format = detectSbomFormat(document);
  if (format === 'cyclonedx') return readCycloneDx(document, options);
  if (format === 'spdx') return readSpdx(document, options);
  throw new AppError(
    'SCAN_SBOM_UNSUPPORTED',
    `${options.source ?? 'document'} is neither CycloneDX JSON (bomFormat) nor SPDX JSON (spdxVersion)`,
  );
}

/** Reads an SBOM from its JSON bytes (UTF-8, a byte-order mark tolerated). */
export function parseSbomJson(bytes: Uint8Array, options: ReadSbomOptions = {}): ParsedSbom {
  return readSbom(parseJsonBytes(bytes, options.source ?? 'SBOM'), options);
}

/** JSON bytes to a value; the error names the document and what is wrong with it. */
export function parseJsonBytes(bytes: Uint8Array, where: string): unknown {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new AppError('SCAN_SBOM_INVALID', `${where} is not valid UTF-8`);
  }
  try {
    // The decoder drops a leading byte-order mark (WHATWG Encoding, "ignore BOM" unset).
    return JSON.parse(text);
  } catch (error) {
    throw new AppError('SCAN_SBOM_INVALID', `${where} is not valid JSON: ${(error as Error).message}`);
  }
}

/** A written SBOM as the bytes to store or print: indented JSON with a final newline. */
export function encodeSbom(document: CycloneDxBom | SpdxDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
