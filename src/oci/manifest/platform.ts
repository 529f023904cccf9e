import { AppError } from '../../kernel/index.js';
import type { Platform } from './types.js';

/**
 * Parses `os/arch[/variant]` (e.g. `linux/arm64/v8`) the way containerd's platforms package
 * does for the common forms, normalising aliases so that comparisons are meaningful.
 */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '' || !/^[a-z0-9._-]+$/.test(p))) {
    throw new AppError(
      'USAGE_INVALID',
      `invalid platform "${text}": expected os/architecture[/variant], e.g. linux/amd64 or linux/arm64/v8`,
    );
  }
  const platform: Platform = { os: parts[0]!, architecture: parts[1]! };
  if (parts[2]) platform.variant = parts[2];
  return normalizePlatform(platform);
}

export function formatPlatform(platform: Platform): string {
  const base = `${platform.os}/${platform.architecture}`;
  return platform.variant ? `${base}/${platform.variant}` : base;
}

const ARCH_ALIASES: Record<string, string> = {
  x86_64: 'amd64',
  'x86-64': 'amd64',
  aarch64: 'arm64',
  armhf: 'arm',
  armel: 'arm',
  i386: '386',
};

/** Canonical form: amd64 not x86_64; arm64's default variant v8 implied; arm's default v7. */
export function normalizePlatform(platform: Platform): Platform {
  const architecture = ARCH_ALIASES[platform.architecture] ?? platform.architecture;
  const out: Platform = { ...platform, os: platform.os.toLowerCase(), architecture };
  let variant = platform.variant;
  if (platform.architecture === 'armel') variant ??= 'v6';
  if (platform.architecture === 'armhf') variant ??= 'v7';
  if (architecture === 'arm64' && (variant === 'v8' || variant === '8')) variant = undefined;
  if (architecture === 'arm' && variant === undefined) variant = 'v7';
  if (architecture === 'arm' && variant && /^\d+$/.test(variant)) variant = `v${variant}`;
  if (architecture === 'amd64' && variant === 'v1') variant = undefined;
  if (variant === undefined) delete out.variant;
  else out.variant = variant;
  return out;
}

/**
 * Whether an index entry's platform satisfies a wanted one. A wanted platform without a
 * variant matches every variant of its architecture except for `arm`, where variants are ABIs.
 */
export function platformMatches(wanted: Platform, candidate: Platform | undefined): boolean {
  if (!candidate) return false;
  const w = normalizePlatform(wanted);
  const c = normalizePlatform(candidate);
  if (w.os !== c.os || w.architecture !== c.architecture) return false;
  if (w.variant === undefined) return true;
  return w.variant === c.variant;
}
