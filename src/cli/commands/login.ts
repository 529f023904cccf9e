import type { Command } from 'commander';
import { AppError } from '../../kernel/index.js';
import { type CliIo, readAll } from '../io.js';
import { collect } from '../options.js';

interface LoginFlags {
  username?: string;
  password?: string;
  passwordStdin?: boolean;
  identityToken?: boolean;
  insecure?: string[];
}

export function registerLoginCommands(program: Command, io: CliIo): void {
  program
    .command('login')
    .summary('save credentials for a registry')
    .description(
      "Check credentials against REGISTRY and save them in Airlock's credentials file (mode 0600). Prefer --password-stdin: a password on the command line is visible to other users.",
    )
    .argument('<registry>', 'e.g. ghcr.io, docker.io, localhost:5000')
    .option('-u, --username <user>', 'user name')
    .option('-p, --password <password>', 'password or token (prefer --password-stdin)')
    .option('--password-stdin', 'read the password or token from stdin')
    .option('--identity-token', 'the secret is an OAuth2 refresh (identity) token, as ACR issues')
    .option(
      '--insecure <registry>',
      'allow plain HTTP or an unverified certificate for this registry',
      collect,
    )
    .action(async (registry: string, flags: LoginFlags) => {
      const secret = flags.passwordStdin ? (await readAll(io.stdin)).replace(/\r?\n$/, '') : flags.password;
      if (secret === undefined || secret === '')
        throw new AppError('USAGE_INVALID', 'login needs a password or token: pass --password-stdin (or -p)');
      if (flags.password !== undefined && !flags.passwordStdin)
        io.stderr.write(
          'warning: a password on the command line may be seen by other users; use --password-stdin\n',
        );
      if (!flags.identityToken && !flags.username)
        throw new AppError(
          'USAGE_INVALID',
          'login needs --username (or --identity-token for a refresh token)',
        );
      const credential = flags.identityToken
        ? {
            kind: 'identity-token' as const,
            token: secret,
            ...(flags.username ? { username: flags.username } : {}),
          }
        : { kind: 'basic' as const, username: flags.username!, password: secret };
      const { login } = await import('../../app/login-service.js');
      const result = await login(registry, credential, {
        env: io.env,
        insecure: flags.insecure,
        signal: io.signal,
      });
      io.stdout.write(`Login succeeded for ${result.registry} (saved to ${result.path})\n`);
    });

  program
    .command('logout')
    .summary('remove saved credentials for a registry')
    .argument('<registry>')
    .action(async (registry: string) => {
      const { logout } = await import('../../app/login-service.js');
      const result = await logout(registry, { env: io.env, signal: io.signal });
      io.stdout.write(`Removed credentials for ${result.registry} from ${result.path}\n`);
    });
}
