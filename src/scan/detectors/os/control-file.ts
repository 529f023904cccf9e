/**
 * Debian control-file syntax (deb822): paragraphs of `Field: value` lines separated by blank
 * lines, continuation lines starting with a space or tab. Debian Policy §5.1: field names are
 * case-insensitive; lines of only spaces and tabs may separate paragraphs. Used for the dpkg
 * status database and machine-readable `copyright` files.
 */

export interface ControlParagraph {
  /** Field values by lower-cased name; multi-line values keep their continuation lines, joined by `\n`. */
  fields: Map<string, string>;
  /** 1-based line number of the paragraph's first line, for messages. */
  line: number;
}

const FIELD_LINE = /^([!-9;-~][!-9;-~]*)[ \t]*:[ \t]*(.*)$/;

/**
 * Splits text into paragraphs. Lines that are neither fields nor continuations (garbage in a
 * damaged database) are skipped rather than failing the whole file; `#` comment lines are
 * allowed as in other deb822 files.
 */
export function parseControlFile(text: string): ControlParagraph[] {
  const paragraphs: ControlParagraph[] = [];
  let current: ControlParagraph | undefined;
  let lastField: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (/^[ \t]*$/.test(line)) {
      current = undefined;
      lastField = undefined;
      continue;
    }
    if (line.startsWith('#')) continue;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (current && lastField !== undefined) {
        current.fields.set(lastField, `${current.fields.get(lastField) ?? ''}\n${line.slice(1)}`);
      }
      continue;
    }
    const match = FIELD_LINE.exec(line);
    if (!match) continue;
    if (!current) {
      current = { fields: new Map(), line: index + 1 };
      paragraphs.push(current);
    }
    lastField = match[1]!.toLowerCase();
    current.fields.set(lastField, match[2]!.trimEnd());
  }
  return paragraphs;
}

/** The first line of a field's value (the synopsis of multi-line fields such as `License`). */
export function firstLine(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const line = value.split('\n', 1)[0]!.trim();
  return line === '' ? undefined : line;
}
