import { parseControlFile } from './control-file.js';

/** One binary package of a dpkg status database. */
export interface DpkgRecord {
  name: string;
  version: string;
  architecture?: string;
  /** `Source:` — absent when the source package has the binary package's name and version. */
  source?: { name: string; version?: string };
  /** 1-based line of the stanza in its file. */
  line: number;
}

export interface DpkgParseResult {
  records: DpkgRecord[];
  /** Stanzas that were skipped because a required field was missing, with their line. */
  invalid: { line: number; reason: string }[];
}

/**
 * Package states (dpkg(1), "Package states") in which the package's files are on disk. Want
 * and error flags do not matter: a package on `hold`, or selected for removal but not yet
 * removed, is still installed. `config-files`, `half-installed` and `not-installed` leave no
 * (or no trustworthy) program files, so they are not inventoried.
 */
const STATES_WITH_FILES = new Set([
  'installed',
  'unpacked',
  'half-configured',
  'triggers-awaited',
  'triggers-pending',
]);

export interface ParseDpkgStatusOptions {
  /**
   * Whether a stanza without `Status` counts as installed. Google distroless writes package
   * control files into `status.d/` without it; the real `status` file always has it.
   */
  statusOptional: boolean;
}

/** Parses dpkg status text (`/var/lib/dpkg/status`, or one `status.d/` file). */
export function parseDpkgStatus(text: string, options: ParseDpkgStatusOptions): DpkgParseResult {
  const result: DpkgParseResult = { records: [], invalid: [] };
  for (const { fields, line } of parseControlFile(text)) {
    const status = fields.get('status');
    if (status === undefined ? !options.statusOptional : !isInstalledStatus(status)) continue;
    const name = fields.get('package')?.trim();
    const version = fields.get('version')?.trim();
    if (!name || !version) {
      const missing = !name ? 'Package' : 'Version';
      result.invalid.push({ line, reason: `stanza${name ? ` of ${name}` : ''} has no ${missing} field` });
      continue;
    }
    const record: DpkgRecord = { name, version, line };
    const architecture = fields.get('architecture')?.trim();
    if (architecture) record.architecture = architecture;
    const source = parseSourceField(fields.get('source'));
    if (source) record.source = source;
    result.records.push(record);
  }
  return result;
}

/** `Status: <want> <error> <state>`; true when the state leaves the package's files installed. */
export function isInstalledStatus(status: string): boolean {
  const words = status.trim().split(/\s+/);
  return words.length === 3 && STATES_WITH_FILES.has(words[2]!);
}

/**
 * `Source: glibc` or `Source: glibc (2.36-9+deb12u4)`: dpkg records the version only when it
 * differs from the binary package's (binNMUs, `+b1`) — deb-src-control(5), "Source".
 */
export function parseSourceField(value: string | undefined): { name: string; version?: string } | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const match = /^(\S+)\s*\(\s*([^)\s]+)\s*\)$/.exec(text);
  if (match) return { name: match[1]!, version: match[2]! };
  const name = text.split(/\s+/, 1)[0]!;
  return { name };
}
