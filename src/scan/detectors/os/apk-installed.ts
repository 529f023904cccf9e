/** One package of an apk installed database. */
export interface ApkRecord {
  name: string;
  version: string;
  architecture?: string;
  /** `o:` — the origin (the APKBUILD the package was built from). */
  origin?: string;
  /** `L:` — the licence expression as the APKBUILD states it. */
  license?: string;
  /** 1-based line of the record's first field. */
  line: number;
}

export interface ApkParseResult {
  records: ApkRecord[];
  invalid: { line: number; reason: string }[];
}

/**
 * Parses `/lib/apk/db/installed` (apk-tools, "apk v2 installed database"): one `X:value`
 * line per field, records separated by blank lines. Besides the package fields, each record
 * lists its files (`F:` directory, `R:` file, `Z:` checksum, `a:`/`M:` ownership) — those
 * repeat, so only the first `P`, `V`, `A`, `o` and `L` of a record count.
 */
export function parseApkInstalled(text: string): ApkParseResult {
  const result: ApkParseResult = { records: [], invalid: [] };
  let fields = new Map<string, string>();
  let start = 0;
  const flush = () => {
    if (fields.size > 0) addRecord(result, fields, start);
    fields = new Map();
  };
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (line.length < 2 || line[1] !== ':') continue;
    if (fields.size === 0) start = index + 1;
    const key = line[0]!;
    if (!fields.has(key)) fields.set(key, line.slice(2));
  }
  flush();
  return result;
}

function addRecord(result: ApkParseResult, fields: Map<string, string>, line: number): void {
  const name = fields.get('P')?.trim();
  const version = fields.get('V')?.trim();
  if (!name || !version) {
    const missing = !name ? 'P (name)' : 'V (version)';
    result.invalid.push({ line, reason: `record${name ? ` of ${name}` : ''} has no ${missing} field` });
    return;
  }
  const record: ApkRecord = { name, version, line };
  const architecture = fields.get('A')?.trim();
  if (architecture) record.architecture = architecture;
  const origin = fields.get('o')?.trim();
  if (origin) record.origin = origin;
  const license = fields.get('L')?.trim();
  if (license) record.license = license;
  result.records.push(record);
}
