import { firstLine, parseControlFile } from './control-file.js';

/**
 * Licences from a machine-readable `debian/copyright` file (DEP-5, "Machine-readable
 * debian/copyright file", format 1.0), installed as `/usr/share/doc/<package>/copyright`.
 *
 * The header paragraph must carry `Format:`; files that do not are free-form text, from which
 * a licence cannot be read reliably, and yield nothing. The licences are the synopses (first
 * lines) of the `License` fields of the header and `Files` paragraphs, in order of first
 * appearance, as the file states them (`GPL-2+`, `BSD-3-clause`, `LGPL-2.1+ or GPL-3`).
 * Stand-alone `License` paragraphs only hold the texts of licences named there, so they are
 * read only when no `Files` paragraph names one.
 */
export function parseDep5Licenses(text: string): string[] {
  const paragraphs = parseControlFile(text);
  const header = paragraphs[0];
  if (!header?.fields.has('format')) return [];
  const named = new Set<string>();
  const standalone = new Set<string>();
  for (const [index, paragraph] of paragraphs.entries()) {
    const license = firstLine(paragraph.fields.get('license'));
    if (license === undefined) continue;
    if (index === 0 || paragraph.fields.has('files')) named.add(license);
    else standalone.add(license);
  }
  return [...(named.size > 0 ? named : standalone)];
}
