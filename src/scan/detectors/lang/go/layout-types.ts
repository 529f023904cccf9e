/** A region of an executable file and the virtual address it is loaded at. */
export interface MappedRange {
  offset: number;
  size: number;
  vaddr: number;
}

/**
 * What the build-info search needs from an executable's headers, all of which sit at the start
 * of the file (ELF program headers, PE section table, Mach-O load commands), so that the body
 * can then be streamed once.
 */
export interface ExecutableLayout {
  format: 'elf' | 'pe' | 'macho';
  /** Loaded regions, to turn pointers (virtual addresses) into file offsets. */
  segments: MappedRange[];
  /** Where the Go build-info blob may be (writable data), sorted by offset. */
  dataRanges: MappedRange[];
}

export type LayoutParse =
  | { status: 'ok'; layout: ExecutableLayout }
  /** The headers continue past the bytes given: call again with at least `bytes`. */
  | { status: 'need'; bytes: number }
  | { status: 'unknown' };

/** The file offset of virtual address `vaddr`, when a loaded region maps it. */
export function offsetOf(layout: ExecutableLayout, vaddr: number, length: number): number | undefined {
  for (const segment of layout.segments) {
    if (vaddr >= segment.vaddr && vaddr + length <= segment.vaddr + segment.size) {
      return segment.offset + (vaddr - segment.vaddr);
    }
  }
  return undefined;
}

/** A 64-bit field as a safe integer; undefined when it does not fit (not a real layout). */
export function toSafe(value: bigint): number | undefined {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}
