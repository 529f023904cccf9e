import { readInputFile } from '../../app/read-input.js';
import { type CopySpec, destinationUnder } from '../../app/copy-service.js';
import { AppError } from '../../kernel/index.js';
import { type CliIo, readAll } from '../io.js';

/** How `copy` and `sync` take what goes where: the flags beside the positional locations. */
export interface PairFlags {
  to?: string;
  file?: string;
}

/**
 * SOURCE DESTINATION, or several SOURCEs with `--to PREFIX` (each to PREFIX/<its repository
 * path>), plus `SOURCE [DESTINATION]` lines from `--file` (`-` for stdin). `verb` names the
 * command in errors.
 */
export async function locationPairs(
  verb: string,
  locations: string[],
  flags: PairFlags,
  io: CliIo,
): Promise<CopySpec[]> {
  const pairs: CopySpec[] = [];
  if (flags.file) {
    const text = flags.file === '-' ? await readAll(io.stdin) : await readInputFile(flags.file);
    pairs.push(...parsePairFile(text, flags.file, flags.to));
  }
  if (flags.to) {
    pairs.push(...locations.map((source) => ({ source, destination: destinationUnder(flags.to!, source) })));
  } else if (locations.length === 2) {
    pairs.push({ source: locations[0]!, destination: locations[1]! });
  } else if (locations.length !== 0 || !flags.file) {
    throw new AppError(
      'USAGE_INVALID',
      `${verb} takes SOURCE DESTINATION, or several SOURCEs with --to PREFIX (got ${locations.length} location${locations.length === 1 ? '' : 's'})`,
    );
  }
  return pairs;
}

/** Lines of `SOURCE [DESTINATION]`; a line without destination needs `--to`. Errors name the line. */
function parsePairFile(text: string, file: string, to: string | undefined): CopySpec[] {
  const pairs: CopySpec[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const fields = line.split(/\s+/);
    const where = `${file}:${index + 1}`;
    if (fields.length > 2)
      throw new AppError(
        'USAGE_INVALID',
        `${where}: expected "SOURCE [DESTINATION]", found ${fields.length} fields`,
      );
    if (fields.length === 1 && !to)
      throw new AppError(
        'USAGE_INVALID',
        `${where}: "${fields[0]}" has no destination; add one or pass --to PREFIX`,
      );
    try {
      pairs.push({ source: fields[0]!, destination: fields[1] ?? destinationUnder(to!, fields[0]!) });
    } catch (error) {
      throw error instanceof AppError
        ? new AppError(error.code, `${where}: ${error.message}`, { cause: error })
        : error;
    }
  });
  return pairs;
}
