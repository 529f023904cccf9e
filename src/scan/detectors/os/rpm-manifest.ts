import type { RpmRecord } from './rpm-record.js';

/**
 * The package manifest CBL-Mariner and Azure Linux distroless images carry instead of an rpm
 * database (`/var/lib/rpmmanifest/container-manifest-2`): one line per package, as
 * `rpm -qa --queryformat` prints these tags, tab-separated:
 *
 * `NAME  VERSION-RELEASE  INSTALLTIME  BUILDTIME  VENDOR  EPOCH  SIZE  ARCH  EPOCHNUM  SOURCERPM`
 *
 * Absent tags print as `(none)`. The manifest has no licence.
 */
export const RPM_MANIFEST_PATH = '/var/lib/rpmmanifest/container-manifest-2';

const FIELD_COUNT = 10;
const NONE = '(none)';

export interface RpmManifestParseResult {
  records: RpmRecord[];
  invalid: { line: number; reason: string }[];
}

export function parseRpmManifest(text: string): RpmManifestParseResult {
  const result: RpmManifestParseResult = { records: [], invalid: [] };
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const fields = line.split('\t');
    const record = fields.length >= FIELD_COUNT ? toRecord(fields) : undefined;
    if (record) result.records.push(record);
    else
      result.invalid.push({
        line: index + 1,
        reason: `expected ${FIELD_COUNT} tab-separated fields with NAME and VERSION-RELEASE`,
      });
  });
  return result;
}

function toRecord(fields: string[]): RpmRecord | undefined {
  const [name, versionRelease, , , , epoch, , arch, , sourceRpm] = fields.map((f) => f.trim());
  const dash = versionRelease?.lastIndexOf('-') ?? -1;
  if (!name || !versionRelease || dash <= 0 || dash === versionRelease.length - 1) return undefined;
  const record: RpmRecord = {
    name,
    version: versionRelease.slice(0, dash),
    release: versionRelease.slice(dash + 1),
  };
  if (epoch && epoch !== NONE && /^\d+$/.test(epoch)) record.epoch = Number(epoch);
  if (arch && arch !== NONE) record.architecture = arch;
  if (sourceRpm && sourceRpm !== NONE) record.sourceRpm = sourceRpm;
  return record;
}
