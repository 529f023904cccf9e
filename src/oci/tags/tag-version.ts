import semver from 'semver';

/**
 * A version read from an image tag. Image tags are looser than semver: `3.12`, `v1.2`,
 * `3.12.4-slim-bookworm`, `22-alpine3.20`, `3.13.0rc1`. The leading numbers give the
 * version (missing parts are 0); a following pre-release marker (`rc`, `alpha`, `beta`,
 * `a1`, `b2`, `pre`, `dev`) makes it a pre-release; anything else (`-slim`, `-alpine`) is
 * a variant that does not change the version.
 */
export interface TagVersion {
  version: semver.SemVer;
  /** Number of numeric parts the tag spelled out (`3.12` → 2). */
  precision: number;
  variant: string;
}

const TAG_VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/;
const PRERELEASE = /^[-.+_]?((?:rc|alpha|beta|pre|dev|a|b)\.?\d*)(?=$|[-.+_])(.*)$/i;

export function parseTagVersion(tag: string): TagVersion | undefined {
  const match = TAG_VERSION.exec(tag);
  if (!match) return undefined;
  const [, major, minor, patch, rest = ''] = match;
  if (rest !== '' && !/^[-.+_]/.test(rest) && !PRERELEASE.test(rest)) return undefined; // "3abc"
  let prerelease = '';
  let variant = rest;
  const pre = PRERELEASE.exec(rest);
  if (pre) {
    prerelease = pre[1]!.toLowerCase().replace(/[^a-z0-9]/g, '');
    variant = pre[2] ?? '';
  }
  const text = `${Number(major)}.${Number(minor ?? 0)}.${Number(patch ?? 0)}${prerelease ? `-${prerelease}` : ''}`;
  const version = semver.parse(text);
  if (!version) return undefined;
  return {
    version,
    precision: [major, minor, patch].filter((x) => x !== undefined).length,
    variant: variant.replace(/^[-.+_]/, ''),
  };
}

/** Orders tags newest first: by version, then more precise before less (`3.12.4` before `3.12`), then by name. */
export function compareTagsDescending(a: string, b: string): number {
  const va = parseTagVersion(a);
  const vb = parseTagVersion(b);
  if (va && vb) {
    const byVersion = semver.rcompare(va.version, vb.version);
    if (byVersion !== 0) return byVersion;
    if (va.precision !== vb.precision) return vb.precision - va.precision;
  } else if (va || vb) {
    return va ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
