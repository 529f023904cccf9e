import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** What a scripted `docker-credential-<name>` does when asked `get`. */
export interface FakeHelperBehaviour {
  /** Answers by server URL; any other URL gets the protocol's "credentials not found". */
  answers?: Record<string, { username: string; secret: string }>;
  /** Fail every call: print `stdout`/`stderr` and exit with `exitCode`. */
  fail?: { exitCode: number; stdout?: string; stderr?: string };
  /** Never answer (the process sleeps until killed). */
  hang?: boolean;
  /** Appends each server URL asked for to this file, one per line. */
  callLog?: string;
  /** Writes the helper's process id to this file. */
  pidFile?: string;
}

/**
 * Writes an executable `docker-credential-<name>` shell script into `directory`: a real
 * process speaking the docker-credential-helpers protocol, for tests that must exercise
 * spawning, stdin, exit codes and time-outs.
 */
export async function writeFakeCredentialHelper(
  directory: string,
  name: string,
  behaviour: FakeHelperBehaviour,
): Promise<string> {
  const lines = [
    '#!/bin/sh',
    '[ "$1" = get ] || { echo "unsupported action: $1" >&2; exit 2; }',
    // The protocol sends the server URL without a trailing newline; read still fills $url.
    'IFS= read -r url || true',
  ];
  if (behaviour.pidFile) lines.push(`echo $$ > ${quote(behaviour.pidFile)}`);
  if (behaviour.callLog) lines.push(`printf '%s\\n' "$url" >> ${quote(behaviour.callLog)}`);
  if (behaviour.hang) lines.push('exec sleep 300');
  if (behaviour.fail) {
    const { exitCode, stdout, stderr } = behaviour.fail;
    if (stdout !== undefined) lines.push(`printf '%s\\n' ${quote(stdout)}`);
    if (stderr !== undefined) lines.push(`printf '%s\\n' ${quote(stderr)} >&2`);
    lines.push(`exit ${exitCode}`);
  }
  lines.push('case "$url" in');
  for (const [url, { username, secret }] of Object.entries(behaviour.answers ?? {})) {
    const answer = JSON.stringify({ ServerURL: url, Username: username, Secret: secret });
    lines.push(`  ${quote(url)}) printf '%s' ${quote(answer)} ;;`);
  }
  lines.push("  *) echo 'credentials not found in native keychain'; exit 1 ;;", 'esac', '');
  const path = join(directory, `docker-credential-${name}`);
  await writeFile(path, lines.join('\n'));
  await chmod(path, 0o755);
  return path;
}

/** A fresh directory for helpers, and a PATH that finds them first and a shell after. */
export async function helperDirectory(): Promise<{ directory: string; path: string }> {
  const directory = await mkdtemp(join(tmpdir(), 'airlock-helpers-'));
  return { directory, path: [directory, process.env.PATH ?? '/usr/bin:/bin'].join(delimiter) };
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
