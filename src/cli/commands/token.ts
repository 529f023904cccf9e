import { Option, type Command } from 'commander';
import type { ApiTokenBody } from '../../api/index.js';
import { type ApiFlags, addApiFlags, apiClientFor } from '../api-flags.js';
import { type CliIo, print } from '../io.js';
import { collect, writeJson } from '../options.js';
import { formatTable } from '../render/table.js';
import { formatTime } from './runs-render.js';

const ROLES = ['viewer', 'operator', 'approver', 'admin'];

interface CreateFlags extends ApiFlags {
  subject: string;
  role: string[];
  expires?: string;
  description?: string;
}

interface ListFlags extends ApiFlags {
  all?: boolean;
}

/** `airlock token`: API tokens (admin). */
export function registerTokenCommand(program: Command, io: CliIo): void {
  const token = program.command('token').description('API tokens: create, list, revoke (admin), and whoami');
  registerCreate(token, io);
  registerList(token, io);
  registerRevoke(token, io);
  registerWhoAmI(token, io);
}

function registerCreate(token: Command, io: CliIo): void {
  const command = token
    .command('create')
    .description(
      'Create a token. Its secret is printed once, alone on stdout (details go to stderr), so that it can be piped into a secret store.',
    )
    .requiredOption('--subject <kind:name>', 'who acts with it: user:alice, robot:ci')
    .addOption(
      new Option('--role <role>', 'a role (repeatable)')
        .choices(ROLES)
        .argParser(collect)
        .makeOptionMandatory(),
    )
    .option('--expires <duration>', 'lifetime: 90m, 12h, 30d (at most 366d; default: no expiry)')
    .option('--description <text>', 'what it is for');
  addApiFlags(command).action(async (flags: CreateFlags) => {
    const created = await (
      await apiClientFor(flags, io)
    ).createToken(
      { subject: flags.subject, roles: flags.role, expiresIn: flags.expires, description: flags.description },
      { signal: io.signal },
    );
    if (flags.json) return writeJson(io, created);
    print(io.stdout, created.token);
    const expiry = created.expiresAt ? `expires ${created.expiresAt}` : 'does not expire';
    print(
      io.stderr,
      `token ${created.id} for ${created.subject} (${created.roles.join(', ')}), ${expiry}; it is not shown again`,
    );
  });
}

function registerList(token: Command, io: CliIo): void {
  const command = token
    .command('list')
    .alias('ls')
    .description('List tokens (never their secrets)')
    .option('--all', 'include revoked tokens');
  addApiFlags(command).action(async (flags: ListFlags) => {
    const { tokens } = await (
      await apiClientFor(flags, io)
    ).listTokens(Boolean(flags.all), { signal: io.signal });
    if (flags.json) return writeJson(io, tokens);
    print(io.stdout, tokensTable(tokens));
  });
}

function registerRevoke(token: Command, io: CliIo): void {
  const command = token
    .command('revoke')
    .description('Revoke a token: it stops working at once')
    .argument('<token-id>');
  addApiFlags(command).action(async (id: string, flags: ApiFlags) => {
    const revoked = await (await apiClientFor(flags, io)).revokeToken(id, { signal: io.signal });
    if (flags.json) writeJson(io, revoked);
    else print(io.stdout, `token ${revoked.id} (${revoked.subject}) revoked at ${revoked.revokedAt}`);
  });
}

function registerWhoAmI(token: Command, io: CliIo): void {
  const command = token.command('whoami').description('Show the subject and roles of the token in use');
  addApiFlags(command).action(async (flags: ApiFlags) => {
    const me = await (await apiClientFor(flags, io)).whoAmI({ signal: io.signal });
    if (flags.json) writeJson(io, me);
    else
      print(
        io.stdout,
        `${me.subject} (${me.roles.join(', ')}), token ${me.token.id}${me.token.expiresAt ? `, expires ${me.token.expiresAt}` : ''}`,
      );
  });
}

function tokensTable(tokens: ApiTokenBody[]): string {
  return formatTable(
    ['ID', 'SUBJECT', 'ROLES', 'CREATED', 'BY', 'EXPIRES', 'LAST USED', 'REVOKED', 'DESCRIPTION'],
    tokens.map((t) => [
      t.id,
      t.subject,
      t.roles.join(','),
      formatTime(t.createdAt),
      t.createdBy,
      t.expiresAt ? formatTime(t.expiresAt) : 'never',
      t.lastUsedAt ? formatTime(t.lastUsedAt) : '-',
      t.revokedAt ? formatTime(t.revokedAt) : '-',
      t.description ?? '',
    ]),
  );
}
