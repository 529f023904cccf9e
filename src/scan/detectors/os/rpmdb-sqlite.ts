import { createRequire } from 'node:module';
import type { Database, SqlJsStatic } from 'sql.js';
import { AppError } from '../../../kernel/index.js';

/**
 * The rpm database as rpm ≥ 4.16 writes it with its `sqlite` backend (`rpmdb.sqlite`): header
 * blobs in `Packages(hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)`, plus index
 * tables (`Name`, `Basenames`, …) that are derived data and not read here. Read in memory with
 * sql.js (SQLite compiled to WebAssembly): the image's bytes never touch the disk, and no
 * native SQLite is needed.
 */

let sqlJs: Promise<SqlJsStatic> | undefined;

/**
 * Loads sql.js once, on the first rpm database. It is required at run time rather than
 * imported: images without rpm never pay for the WebAssembly module, and a bundled CLI keeps
 * loading it (and its `.wasm` file) from the installed package instead of from the bundle.
 */
function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= (async () => {
    const requireFromHere = createRequire(import.meta.url);
    const initSqlJs = requireFromHere('sql.js') as (config?: object) => Promise<SqlJsStatic>;
    return initSqlJs();
  })().catch((error: unknown) => {
    sqlJs = undefined;
    throw error;
  });
  return sqlJs;
}

/** One row of the `Packages` table. */
export interface RpmdbRow {
  hnum: number;
  blob: Uint8Array;
}

/**
 * Calls `visit` with each header blob of an `rpmdb.sqlite`, in `hnum` (install) order, without
 * holding them all: a database of thousands of packages is tens of MiB of headers. Throws
 * SCAN_PACKAGE_DB_INVALID when the bytes are not an SQLite database with a `Packages` table.
 *
 * SQLite opens a WAL-mode file (as rpm leaves it) from memory without its `-wal` file; what
 * the log holds beyond the last checkpoint is not seen, which the detector reports.
 */
export async function readRpmdbSqlite(
  bytes: Uint8Array,
  path: string,
  visit: (row: RpmdbRow) => void,
): Promise<void> {
  const { Database } = await loadSqlJs();
  let db: Database | undefined;
  try {
    db = new Database(bytes);
    const statement = db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum');
    try {
      while (statement.step()) {
        const [hnum, blob] = statement.get();
        if (typeof hnum === 'number' && blob instanceof Uint8Array) visit({ hnum, blob });
      }
    } finally {
      statement.free();
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError(
      'SCAN_PACKAGE_DB_INVALID',
      `${path} is not a readable rpm SQLite database: ${reason}`,
      {
        cause: error,
        details: { path },
      },
    );
  } finally {
    db?.close();
  }
}
