import type { Package, ScanNotice } from '../../../inventory/types.js';
import type { DetectContext, Detector, DetectorResult } from '../../types.js';
import { buildLangPurl } from '../lang-purl.js';
import { LangNoticeCode } from '../notice-codes.js';
import { PackageSet } from '../package-set.js';
import { parseNpmManifest } from './npm-manifest.js';

/**
 * The manifest of an installed package: `…/node_modules/<name>/package.json` or
 * `…/node_modules/@<scope>/<name>/package.json`. npm names never start with `.` or `_`, which
 * leaves out `.bin`, `.cache` and pnpm's `.pnpm` store (whose packages are matched through
 * their own inner `node_modules`). Deeper package.json files inside a package (`esm/`,
 * test fixtures) are not installed packages.
 */
const INSTALLED_MANIFEST = /\/node_modules\/(?:@[^/]+\/)?[^/.@_][^/]*\/package\.json$/;

/** Real manifests are a few KiB; the largest on the registry are well under this. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

/**
 * npm packages installed in `node_modules` directories anywhere in the image, global ones
 * (`/usr/local/lib/node_modules`, `/usr/lib/node_modules`) included.
 *
 * An application's own `package.json` (outside `node_modules`) is not reported: it is not an
 * installed package, its name is often not the registry package of that name, and reporting
 * it would match that package's advisories against the application.
 */
export function createNpmDetector(): Detector {
  return {
    name: 'npm',
    select: (entry) =>
      INSTALLED_MANIFEST.test(entry.path) ? { kind: 'content', maxBytes: MAX_MANIFEST_BYTES } : undefined,
    detect: detectNpm,
  };
}

function detectNpm(context: DetectContext): DetectorResult {
  const packages = new PackageSet();
  const notices: ScanNotice[] = [];
  for (const file of context.fs.find((path) => INSTALLED_MANIFEST.test(path))) {
    if (!file.content) continue;
    const parse = parseNpmManifest(file.content);
    const pkg = parse.ok ? npmPackage(parse.manifest, file.path) : undefined;
    if (pkg) packages.add(pkg);
    else {
      const problem = parse.ok ? `has a name npm does not allow (${parse.manifest.name})` : parse.problem;
      notices.push({
        level: 'warning',
        code: LangNoticeCode.ManifestInvalid,
        path: file.path,
        message: `npm package manifest ${file.path} ${problem}; the package is left out of the inventory`,
      });
    }
  }
  return { packages: packages.list(), notices };
}

function npmPackage(
  manifest: { name: string; version: string; licenses: string[] },
  path: string,
): Package | undefined {
  const scoped = /^(@[^/]+)\/([^/]+)$/.exec(manifest.name);
  const purl = scoped
    ? buildLangPurl('npm', scoped[1], scoped[2]!, manifest.version)
    : manifest.name.includes('/')
      ? undefined
      : buildLangPurl('npm', undefined, manifest.name, manifest.version);
  if (!purl) return undefined;
  const pkg: Package = {
    type: 'npm',
    name: manifest.name,
    version: manifest.version,
    purl,
    locations: [path],
  };
  if (manifest.licenses.length > 0) pkg.licenses = manifest.licenses;
  return pkg;
}
