import type { Command } from 'commander';
import { resolveDataDir } from '../../app/data-dir.js';
import { type ApiFlags, addApiFlags, apiClientFor } from '../api-flags.js';
import { ExitCode, setExitCode } from '../exit-codes.js';
import { type CliIo, print } from '../io.js';
import { cliLogger, positiveInt, writeJson } from '../options.js';
import { formatTable } from '../render/table.js';
import { formatTime } from './runs-render.js';

interface VerifyFlags {
  data?: string;
  anchor?: string;
  json?: boolean;
  verbose?: number;
}

interface ListFlags extends ApiFlags {
  actor?: string;
  action?: string;
  target?: string;
  limit?: number;
  before?: number;
}

/** `airlock audit`: the hash-chained audit log. */
export function registerAuditCommand(program: Command, io: CliIo): void {
  const audit = program
    .command('audit')
    .description('The audit log: verify its hash chain, list its entries');
  registerVerify(audit, io);
  registerList(audit, io);
}

function registerVerify(audit: Command, io: CliIo): void {
  audit
    .command('verify')
    .description(
      'Recompute the hash chain from the database itself (not through the API) and report the first entry that was changed, ' +
        'removed or reordered. Exit code 1 when the chain is broken. Record the printed head elsewhere and pass it as --anchor ' +
        'later to also detect removal of the newest entries.',
    )
    .option(
      '--data <dir>',
      'Airlock data directory (default $AIRLOCK_DATA_DIR, else ./.airlock); DATABASE_URL selects another Postgres',
    )
    .option('--anchor <seq:hash>', 'a head printed by an earlier verification: it must still be in the chain')
    .option('--json', 'print the result as JSON')
    .option(
      '-v, --verbose',
      'log more (repeat for debug logs)',
      (_v: string, previous: number) => previous + 1,
      0,
    )
    .action(async (flags: VerifyFlags, self: Command) => {
      const { verifyAuditLogInDatabase } = await import('../../app/audit-service.js');
      const result = await verifyAuditLogInDatabase({
        dataDir: resolveDataDir(flags.data, io.env),
        env: io.env,
        logger: cliLogger(io, flags),
        signal: io.signal,
        anchor: flags.anchor,
      });
      if (!result.ok) setExitCode(self, ExitCode.Failure);
      if (flags.json) return writeJson(io, result);
      const head = result.head ? `; head ${result.head.seq}:${result.head.hash}` : '';
      if (result.ok)
        print(io.stdout, `audit log intact: ${result.checked} entries verified in ${result.database}${head}`);
      else
        print(
          io.stdout,
          `audit log BROKEN at entry ${result.broken!.seq} (${result.broken!.reason}): ${result.broken!.message}\n` +
            `${result.checked} entries before it verified${head ? `, up to ${result.head!.seq}` : ''}`,
        );
    });
}

function registerList(audit: Command, io: CliIo): void {
  const command = audit
    .command('list')
    .alias('ls')
    .description('List audit entries through the API, newest first (admin)')
    .option('--actor <subject>', 'only entries by this subject')
    .option('--action <action>', 'only this action: run.start, approval.approve, token.use, …')
    .option('--target <target>', 'only this target: run:<id>, workflow:<name>@<version>, token:<id>')
    .option('--limit <n>', 'at most this many (default 100)', positiveInt('--limit'))
    .option('--before <seq>', 'entries before this sequence number (the next page)', positiveInt('--before'));
  addApiFlags(command).action(async (flags: ListFlags) => {
    const page = await (
      await apiClientFor(flags, io)
    ).listAudit(
      {
        actor: flags.actor,
        action: flags.action,
        target: flags.target,
        limit: flags.limit,
        before: flags.before,
      },
      { signal: io.signal },
    );
    if (flags.json) return writeJson(io, page);
    print(
      io.stdout,
      formatTable(
        ['SEQ', 'TIME', 'ACTOR', 'ACTION', 'TARGET', 'DETAILS'],
        page.entries.map((e) => [
          String(e.seq),
          formatTime(e.at),
          e.actor,
          e.action,
          e.target,
          JSON.stringify(e.details),
        ]),
      ),
    );
    if (page.next !== null) print(io.stderr, `more: --before ${page.next}`);
  });
}
