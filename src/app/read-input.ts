import { readFile } from 'node:fs/promises';
import { AppError } from '../kernel/index.js';

/**
 * Reads a file a user named (a workflow, a list of images, a report, a VEX document) as UTF-8;
 * one it cannot read is a usage error that names it: `cannot read scanner report x.json: no
 * such file`.
 */
export async function readInputFile(file: string, what?: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message);
    throw new AppError('USAGE_INVALID', `cannot read ${what ? `${what} ` : ''}${file}: ${reason}`, {
      cause: error,
    });
  }
}
