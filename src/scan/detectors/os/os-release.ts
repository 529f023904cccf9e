import type { OsInfo } from '../../inventory/types.js';
import type { CaptureRequest, CapturedFilesystem, EntryInfo } from '../../layers/types.js';
import type { Detector, DetectorResult } from '../types.js';
import { OsNoticeCode } from './notice-codes.js';
import { decodeText } from './text.js';

/** os-release(5): `/etc/os-release` takes precedence; `/usr/lib/os-release` is the vendor's copy. */
export const OS_RELEASE_PATHS = ['/etc/os-release', '/usr/lib/os-release'] as const;
const DEBIAN_VERSION_PATH = '/etc/debian_version';
const ALPINE_RELEASE_PATH = '/etc/alpine-release';

/** These files are a few hundred bytes; anything much larger is not what it claims to be. */
const OS_FILE_MAX_BYTES = 64 * 1024;

const CAPTURED_PATHS = new Set<string>([...OS_RELEASE_PATHS, DEBIAN_VERSION_PATH, ALPINE_RELEASE_PATH]);

/**
 * Rolling distributions: their `VERSION_ID` is a build date, not a release that vulnerability
 * data is keyed by (OSV's `Wolfi` and `Chainguard` ecosystems have no release suffix).
 */
const ROLLING_IDS = new Set(['wolfi', 'chainguard']);

/** Where Google's distroless images keep one dpkg status file per package instead of `/var/lib/dpkg/status`. */
const DPKG_STATUS_DIR = '/var/lib/dpkg/status.d';
const SHELLS = ['/bin/sh', '/usr/bin/sh'];

/**
 * Parses os-release(5) text: shell-style `KEY=value` assignments, values optionally in single
 * or double quotes (inside double quotes a backslash escapes a backslash, quote, dollar or
 * backtick), `#` comments.
 * Malformed lines are ignored, as systemd does.
 */
export function parseOsRelease(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    fields.set(match[1]!, unquote(match[2]!));
  }
  return fields;
}

function unquote(value: string): string {
  const quote = value[0];
  if (quote === "'") {
    const end = value.indexOf("'", 1);
    return end < 0 ? value.slice(1) : value.slice(1, end);
  }
  if (quote === '"') {
    let out = '';
    for (let i = 1; i < value.length; i++) {
      const c = value[i]!;
      if (c === '"') break;
      if (c === '\\' && i + 1 < value.length && '\\"$`'.includes(value[i + 1]!)) {
        out += value[++i]!;
        continue;
      }
      out += c;
    }
    return out;
  }
  return value.replace(/\\(.)/g, '$1').trim();
}

/** OsInfo from parsed os-release fields, or undefined when they name no operating system. */
export function osInfoFromRelease(fields: ReadonlyMap<string, string>): OsInfo | undefined {
  const prettyName = nonEmpty(fields.get('PRETTY_NAME'));
  let id = nonEmpty(fields.get('ID'))?.toLowerCase();
  // Some Chainguard images ship `ID=linux` and name themselves only in PRETTY_NAME.
  if ((id === undefined || id === 'linux') && /^chainguard\b/i.test(prettyName ?? '')) id = 'chainguard';
  if (id === undefined) return undefined;
  const versionId = ROLLING_IDS.has(id) ? undefined : nonEmpty(fields.get('VERSION_ID'));
  const versionCodename = nonEmpty(fields.get('VERSION_CODENAME')) ?? nonEmpty(fields.get('UBUNTU_CODENAME'));
  const idLike = (fields.get('ID_LIKE') ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((part) => part !== '');
  const info: OsInfo = { id, idLike };
  if (versionId !== undefined) info.versionId = versionId;
  if (versionCodename !== undefined) info.versionCodename = versionCodename;
  if (prettyName !== undefined) info.prettyName = prettyName;
  return info;
}

/**
 * Identifies the operating system of a captured filesystem: os-release first, then
 * `/etc/debian_version` and `/etc/alpine-release` for images that predate os-release or
 * dropped it. Sets `distroless` for Google distroless (`PRETTY_NAME="Distroless"`) and for
 * Debian-based images that have a dpkg `status.d` directory and no shell.
 */
export function detectOs(fs: CapturedFilesystem): OsInfo | undefined {
  const info = detectFromOsRelease(fs) ?? detectFromDebianVersion(fs) ?? detectFromAlpineRelease(fs);
  if (info && isDistroless(fs, info)) info.distroless = true;
  return info;
}

function detectFromOsRelease(fs: CapturedFilesystem): OsInfo | undefined {
  for (const path of OS_RELEASE_PATHS) {
    const text = readText(fs, path);
    if (text === undefined) continue;
    const info = osInfoFromRelease(parseOsRelease(text));
    if (info) return info;
  }
  return undefined;
}

/** `12.5` on stable releases (os-release's VERSION_ID is the major, `12`); `trixie/sid` on testing. */
function detectFromDebianVersion(fs: CapturedFilesystem): OsInfo | undefined {
  const text = readText(fs, DEBIAN_VERSION_PATH)?.trim();
  if (!text) return undefined;
  const info: OsInfo = { id: 'debian', idLike: [] };
  const numeric = /^(\d+)(\.\d+)*$/.exec(text);
  if (numeric) info.versionId = numeric[1]!;
  else if (/^[a-z]+\/sid$/.test(text)) info.versionCodename = text.slice(0, text.indexOf('/'));
  return info;
}

function detectFromAlpineRelease(fs: CapturedFilesystem): OsInfo | undefined {
  const text = readText(fs, ALPINE_RELEASE_PATH)?.trim();
  if (!text || !/^[0-9][0-9A-Za-z._-]*$/.test(text)) return undefined;
  return { id: 'alpine', idLike: [], versionId: text };
}

function isDistroless(fs: CapturedFilesystem, info: OsInfo): boolean {
  if (info.prettyName?.toLowerCase() === 'distroless') return true;
  const hasStatusDir =
    fs.exists(DPKG_STATUS_DIR) || fs.find((path) => path.startsWith(`${DPKG_STATUS_DIR}/`)).length > 0;
  return hasStatusDir && !SHELLS.some((shell) => fs.exists(shell));
}

function readText(fs: CapturedFilesystem, path: string): string | undefined {
  const content = fs.get(path)?.content;
  return content === undefined ? undefined : decodeText(content);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/**
 * Captures the files that identify the OS. It reports no packages: the orchestration calls
 * {@link detectOs} before the package detectors so that they can qualify their purls; this
 * detector's `detect` only says when no OS could be identified.
 */
export const osReleaseDetector: Detector = {
  name: 'os-release',
  select(entry: EntryInfo): CaptureRequest | undefined {
    return CAPTURED_PATHS.has(entry.path) ? { kind: 'content', maxBytes: OS_FILE_MAX_BYTES } : undefined;
  },
  detect({ fs, os }): DetectorResult {
    if ((os ?? detectOs(fs)) !== undefined) return { packages: [] };
    return {
      packages: [],
      notices: [
        {
          level: 'info',
          code: OsNoticeCode.OsUnknown,
          message:
            'no /etc/os-release, /usr/lib/os-release, /etc/debian_version or /etc/alpine-release: ' +
            'the operating system is unknown, so OS packages are not tied to a distribution release',
        },
      ],
    };
  },
};
