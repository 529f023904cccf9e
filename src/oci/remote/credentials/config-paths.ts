import { homedir } from 'node:os';
import { join } from 'node:path';

/** Environment variables as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface LocateOptions {
  /** Environment the locations are read from; default `process.env`. */
  env?: Env;
  /** Home directory; default `$HOME` of `env`, or the operating system's answer for `process.env`. */
  homeDir?: string;
}

/**
 * The home directory for `options`. With an injected environment that has no HOME the
 * answer is undefined rather than the real home, so tests never read a developer's files.
 */
export function resolveHome(options: LocateOptions): string | undefined {
  if (options.homeDir) return options.homeDir;
  const env = options.env ?? process.env;
  const fromEnv = set(env.HOME) ?? set(env.USERPROFILE);
  if (fromEnv) return fromEnv;
  return env === process.env ? homedir() : undefined;
}

/** Docker's config file: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json` (docker/cli `config.Dir`). */
export function dockerConfigPath(options: LocateOptions): string | undefined {
  const env = options.env ?? process.env;
  const dir = set(env.DOCKER_CONFIG);
  if (dir) return join(dir, 'config.json');
  const home = resolveHome(options);
  return home ? join(home, '.docker', 'config.json') : undefined;
}

/**
 * The containers auth files in the order containers-auth.json(5) searches them: the
 * primary file (`$REGISTRY_AUTH_FILE`, else `$XDG_RUNTIME_DIR/containers/auth.json`), then
 * `$XDG_CONFIG_HOME/containers/auth.json` (`~/.config/containers/auth.json`).
 */
export function containersAuthPaths(options: LocateOptions): string[] {
  const env = options.env ?? process.env;
  const paths: string[] = [];
  const explicit = set(env.REGISTRY_AUTH_FILE);
  const runtimeDir = set(env.XDG_RUNTIME_DIR);
  if (explicit) paths.push(explicit);
  else if (runtimeDir) paths.push(join(runtimeDir, 'containers', 'auth.json'));
  const configHome = configHomeOf(env, options);
  if (configHome) paths.push(join(configHome, 'containers', 'auth.json'));
  return [...new Set(paths)];
}

/**
 * Airlock's own credential file: `$AIRLOCK_CONFIG_DIR/auth.json`, else
 * `$XDG_CONFIG_HOME/airlock/auth.json`, else `~/.config/airlock/auth.json`.
 */
export function airlockAuthPath(options: LocateOptions): string | undefined {
  const env = options.env ?? process.env;
  const dir = set(env.AIRLOCK_CONFIG_DIR);
  if (dir) return join(dir, 'auth.json');
  const configHome = configHomeOf(env, options);
  return configHome ? join(configHome, 'airlock', 'auth.json') : undefined;
}

function configHomeOf(env: Env, options: LocateOptions): string | undefined {
  const configHome = set(env.XDG_CONFIG_HOME);
  if (configHome) return configHome;
  const home = resolveHome(options);
  return home ? join(home, '.config') : undefined;
}

/** Unset and empty are the same, as for Docker and the XDG base directory specification. */
function set(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
