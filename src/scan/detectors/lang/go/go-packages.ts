import semver from 'semver';
import type { Package } from '../../../inventory/types.js';
import { buildLangPurl } from '../lang-purl.js';
import type { GoBuildInfo, GoModule } from './modinfo.js';

/** The version cmd/go gives the main module of a build from a working tree (not `go install m@v`). */
const DEVEL = '(devel)';
/** The placeholder version of a `require` satisfied only by a local `replace` (go.mod). */
const ZERO_PSEUDO_VERSION = 'v0.0.0-00010101000000-000000000000';

/**
 * The packages a Go executable is built from: the main module, every dependency module, and
 * the standard library as `stdlib` at the toolchain's version — named the way the Go
 * vulnerability database names it, so that advisories against `net/http` & co. match (Trivy
 * and Grype report it the same way).
 *
 * A dependency replaced by another module is reported as the replacement (that is the code in
 * the binary). One replaced by a local directory keeps its own path and version: the fork most
 * likely still carries the upstream module's flaws.
 */
export function goPackages(info: GoBuildInfo, binaryPath: string): Package[] {
  const packages = new Map<string, Package>();
  const add = (name: string, version: string) => {
    const pkg = goPackage(name, version, binaryPath);
    if (pkg && !packages.has(pkg.purl)) packages.set(pkg.purl, pkg);
  };
  const stdlib = toolchainSemver(info.goVersion);
  if (stdlib) add('stdlib', stdlib);
  if (info.main?.path) add(info.main.path, mainVersion(info));
  for (const dep of info.deps) {
    const effective = effectiveModule(dep);
    add(effective.path, knownVersion(effective.version));
  }
  return [...packages.values()];
}

function goPackage(name: string, version: string, binaryPath: string): Package | undefined {
  const slash = name.lastIndexOf('/');
  const namespace = slash < 0 ? undefined : name.slice(0, slash);
  const purl = buildLangPurl('golang', namespace, name.slice(slash + 1), version);
  if (!purl) return undefined;
  return { type: 'golang', name, version, purl, locations: [binaryPath], foundIn: binaryPath };
}

function effectiveModule(dep: GoModule): GoModule {
  if (!dep.replace || isLocalPath(dep.replace.path)) return dep;
  return dep.replace;
}

/** go.mod: a replacement path starting with `./`, `../` or `/` is a directory. */
function isLocalPath(path: string): boolean {
  return (
    path.startsWith('./') || path.startsWith('../') || path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)
  );
}

function knownVersion(version: string): string {
  return version === DEVEL || version === ZERO_PSEUDO_VERSION ? '' : version;
}

/**
 * The main module's version: `go install module@version` records it; other builds say
 * `(devel)`, and many projects stamp the version with `-ldflags "-X main.version=…"` instead,
 * which is used when it is a semantic version. Otherwise the version is left empty rather
 * than guessed.
 */
function mainVersion(info: GoBuildInfo): string {
  const recorded = knownVersion(info.main?.version ?? '');
  if (recorded) return recorded;
  const ldflags = info.settings.get('-ldflags');
  return ldflags ? (ldflagsVersion(ldflags) ?? '') : '';
}

/** A `-X <pkg>.version=<semver>` (or `.Version`, `.ver`) setting in `-ldflags`, as `v1.2.3`. */
export function ldflagsVersion(ldflags: string): string | undefined {
  const words = splitQuoted(ldflags);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const flag = /^--?X(?:=(.*))?$/.exec(word);
    if (!flag) continue;
    const assignment = flag[1] ?? words[++i] ?? '';
    const eq = assignment.indexOf('=');
    if (eq < 0) continue;
    const key = assignment.slice(0, eq).toLowerCase();
    if (!key.endsWith('.version') && !key.endsWith('.ver')) continue;
    const version = semver.valid(assignment.slice(eq + 1));
    if (version) return `v${version}`;
  }
  return undefined;
}

/** Splits flags the way cmd/go's `quoted.Split` does: on spaces, honouring '…' and "…". */
function splitQuoted(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  let inWord = false;
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/**
 * The toolchain version as a semantic version, the form Go's vulnerability database uses for
 * `stdlib` (golang.org/x/vuln, `semver.GoTagToSemver`): `go1.21.3` → `v1.21.3`, `go1.19` →
 * `v1.19.0`, `go1.22rc1` → `v1.22.0-rc.1`. Build suffixes (` X:boringcrypto`, `-bigcorp`)
 * are dropped; development toolchains (`devel …`) have no release and give undefined.
 */
export function toolchainSemver(goVersion: string): string | undefined {
  const match = /^go(\d+)\.(\d+)(?:\.(\d+))?(?:(beta|rc)(\d+))?(?=$|[\s+-])/.exec(goVersion);
  if (!match) return undefined;
  const [, major, minor, patch, pre, preNumber] = match;
  return `v${major}.${minor}.${patch ?? '0'}${pre ? `-${pre}.${preNumber}` : ''}`;
}
