import type { Package, ScanNotice } from '../../../inventory/types.js';
import type { CaptureRequest, EntryInfo, FileSelector } from '../../../layers/types.js';
import type { DetectContext, Detector, DetectorResult } from '../../types.js';
import { LangNoticeCode } from '../notice-codes.js';
import { probeResultFor } from '../probe-result.js';
import { type GoBuildInfoProbeResult, probeGoBuildInfo } from './buildinfo-probe.js';
import { goPackages } from './go-packages.js';
import { parseModinfo } from './modinfo.js';

/** Smaller than any executable header plus a build-info blob. */
const MIN_EXECUTABLE_BYTES = 64;

/** Directories whose files are programs even when the tar lost their exec bits. */
const PROGRAM_DIRECTORY = /(?:^|\/)(?:s?bin|libexec)\//;

/**
 * Files never probed although executable: archives another detector reads (Spring Boot
 * "fully executable" jars carry the exec bit) and text that is often left executable.
 */
const NOT_BINARIES =
  /\.(?:jar|war|ear|jpi|hpi|zip|gz|json|js|mjs|cjs|py|sh|rb|pl|txt|md|xml|ya?ml|html|css|properties)$/i;

const PROBE: CaptureRequest = { kind: 'probe', probe: (chunks) => probeGoBuildInfo(chunks) };

/**
 * Go executables: modules, their versions and the toolchain version from the build info the
 * Go linker embeds (Go ≥ 1.13; `go version -m` shows the same). Candidates are regular files
 * with an exec bit, any file in a `bin`/`sbin`/`libexec` directory, and `.exe` files; each is
 * streamed through a probe that gives up after the first bytes of anything but an ELF, PE or
 * Mach-O file, so large binaries are never held in memory.
 */
export function createGoBinaryDetector(): Detector {
  const detector: Detector = {
    name: 'go-binary',
    select: (entry) => (isCandidate(entry) ? PROBE : undefined),
    detect: (context) => detectGoBinaries(context, detector),
  };
  return detector;
}

function isCandidate(entry: EntryInfo): boolean {
  if (entry.type !== 'file' || entry.size < MIN_EXECUTABLE_BYTES || NOT_BINARIES.test(entry.path))
    return false;
  return (entry.mode & 0o111) !== 0 || PROGRAM_DIRECTORY.test(entry.path) || /\.exe$/i.test(entry.path);
}

function detectGoBinaries(context: DetectContext, selector: FileSelector): DetectorResult {
  const packages: Package[] = [];
  const notices: ScanNotice[] = [];
  for (const file of context.fs.find(() => true)) {
    const probe = asGoProbe(probeResultFor(file, selector));
    if (!probe) continue;
    if (probe.kind === 'go-buildinfo-unreadable') {
      notices.push({
        level: 'warning',
        code: LangNoticeCode.GoBuildInfoUnreadable,
        path: file.path,
        message: `Go executable ${file.path}: the build info could not be read (${probe.reason}); its modules are missing from the inventory`,
      });
      continue;
    }
    const { info } = parseModinfo(probe.goVersion, probe.modinfo);
    packages.push(...goPackages(info, file.path));
  }
  return { packages, notices };
}

function asGoProbe(value: unknown): GoBuildInfoProbeResult | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'go-buildinfo' || kind === 'go-buildinfo-unreadable'
    ? (value as GoBuildInfoProbeResult)
    : undefined;
}
