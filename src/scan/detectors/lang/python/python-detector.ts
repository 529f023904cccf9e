import type { Package, ScanNotice } from '../../../inventory/types.js';
import type { DetectContext, Detector, DetectorResult } from '../../types.js';
import { buildLangPurl } from '../lang-purl.js';
import { LangNoticeCode } from '../notice-codes.js';
import { PackageSet } from '../package-set.js';
import { firstHeader, normalizePythonName, parseCoreMetadata, pythonLicenses } from './core-metadata.js';

/**
 * Metadata of an installed distribution, directly inside a `site-packages` or (Debian,
 * Ubuntu) `dist-packages` directory: wheels install `<name>-<version>.dist-info/METADATA`
 * (PyPA "Recording installed projects"); setuptools installs `<name>.egg-info/PKG-INFO`, a
 * bare `<name>.egg-info` file, or `<name>.egg/EGG-INFO/PKG-INFO` for zipped-egg layouts.
 * Deeper copies are test data of some package, not installations.
 */
const INSTALLED_METADATA =
  /\/(?:site|dist)-packages\/(?:[^/]+\.dist-info\/METADATA|[^/]+\.egg-info\/PKG-INFO|[^/]+\.egg-info|[^/]+\.egg\/EGG-INFO\/PKG-INFO)$/;

/** Metadata with an embedded long description can reach a few hundred KiB. */
const MAX_METADATA_BYTES = 1024 * 1024;

/** Python distributions installed by pip, setuptools or the distribution's packages. */
export function createPythonDetector(): Detector {
  return {
    name: 'python',
    select: (entry) =>
      INSTALLED_METADATA.test(entry.path) ? { kind: 'content', maxBytes: MAX_METADATA_BYTES } : undefined,
    detect: detectPython,
  };
}

function detectPython(context: DetectContext): DetectorResult {
  const packages = new PackageSet();
  const notices: ScanNotice[] = [];
  for (const file of context.fs.find((path) => INSTALLED_METADATA.test(path))) {
    if (!file.content) continue;
    const metadata = parseCoreMetadata(file.content.toString('utf8'));
    const name = firstHeader(metadata, 'Name');
    const version = firstHeader(metadata, 'Version');
    const purl =
      name && version ? buildLangPurl('pypi', undefined, normalizePythonName(name), version) : undefined;
    if (!name || !version || !purl) {
      notices.push({
        level: 'warning',
        code: LangNoticeCode.ManifestInvalid,
        path: file.path,
        message: `Python metadata ${file.path} has no ${!name ? 'Name' : !version ? 'Version' : 'usable Name'} header; the distribution is left out of the inventory`,
      });
      continue;
    }
    const pkg: Package = { type: 'pypi', name, version, purl, locations: [file.path] };
    const licenses = pythonLicenses(metadata);
    if (licenses.length > 0) pkg.licenses = licenses;
    packages.add(pkg);
  }
  return { packages: packages.list(), notices };
}
