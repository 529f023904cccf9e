import type { CapturedFile, FileSelector } from '../../layers/types.js';

/**
 * The result of `selector`'s probe of a file. When several selectors probed one file (a Go
 * and a Java detector both wanting an executable jar), each result is in `probes`, keyed by
 * selector; `probe` alone is set by readers and test filesystems that run a single probe.
 */
export function probeResultFor(file: CapturedFile, selector: FileSelector): unknown {
  return file.probes ? file.probes.get(selector) : file.probe;
}
