import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';
import { AppError } from '../../src/kernel/index.js';

/** The Debian package that provides each tool the harness runs, for the "how to fix" hint. */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  'docker-registry': 'docker-registry',
  skopeo: 'skopeo',
  openssl: 'openssl',
  htpasswd: 'apache2-utils',
  setpriv: 'util-linux',
};

const found = new Map<string, boolean>();

/** Whether an executable of this name is on PATH (cached per process). */
export function hasTool(name: string): boolean {
  let present = found.get(name);
  if (present === undefined) {
    present = (process.env.PATH ?? '')
      .split(delimiter)
      .some((dir) => dir !== '' && isExecutable(join(dir, name)));
    found.set(name, present);
  }
  return present;
}

export function missingTools(names: readonly string[]): string[] {
  return names.filter((name) => !hasTool(name));
}

export type ToolDecision = { action: 'run' } | { action: 'skip' | 'fail'; message: string };

/**
 * What a suite that needs `missing` tools should do: run when nothing is missing; otherwise
 * skip on a developer machine, but fail in CI, where a skipped suite would pass unnoticed.
 */
export function decideToolRequirement(missing: readonly string[], env: { CI?: string }): ToolDecision {
  if (missing.length === 0) return { action: 'run' };
  const needs = missing.map((tool) => `${tool} (apt-get install ${TOOL_PACKAGES[tool] ?? tool})`).join(', ');
  const isCi = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return isCi
    ? { action: 'fail', message: `needs ${needs}, which CI must provide` }
    : { action: 'skip', message: `skipped: needs ${needs}` };
}

/** A `describe` that runs, skips or fails its suite depending on the tools present. */
export type SuiteFunction = (name: string, body: () => void) => void;

const announced = new Set<string>();

/**
 * For the top of an integration test file:
 * `const describeWith = requireTools('docker-registry', 'skopeo'); describeWith('copy', () => …)`.
 * Missing tools skip the suite with one printed hint outside CI, and fail it in CI.
 */
export function requireTools(...names: string[]): SuiteFunction {
  const decision = decideToolRequirement(missingTools(names), process.env);
  if (decision.action === 'run') return (name, body) => describe(name, body);
  if (decision.action === 'skip') {
    return (name, body) => {
      if (!announced.has(decision.message)) {
        announced.add(decision.message);
        console.warn(decision.message);
      }
      describe.skip(name, body);
    };
  }
  return (name) =>
    describe(name, () => {
      it('has the external tools it needs', () => {
        throw new AppError('CONFIG_INVALID', `${name}: ${decision.message}`);
      });
    });
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
