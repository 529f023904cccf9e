import type { Package, ScanNotice } from '../../../inventory/types.js';
import type { DetectContext, Detector, DetectorResult } from '../../types.js';
import { buildLangPurl } from '../lang-purl.js';
import { LangNoticeCode } from '../notice-codes.js';
import { PackageSet } from '../package-set.js';
import { parseGemspec } from './gemspec.js';

/**
 * Installed gem specifications: `<GEM_HOME>/specifications/*.gemspec` and the default gems
 * shipped with Ruby in `specifications/default/` (`/usr/local/lib/ruby/gems/3.3.0/…`,
 * `/usr/local/bundle/…`, `/var/lib/gems/…`).
 */
const INSTALLED_GEMSPEC = /\/specifications\/(?:default\/)?[^/]+\.gemspec$/;

/** Generated specifications list every file of the gem; large gems reach a few hundred KiB. */
const MAX_GEMSPEC_BYTES = 1024 * 1024;

/** Ruby gems installed by RubyGems or Bundler, and Ruby's default gems. */
export function createGemDetector(): Detector {
  return {
    name: 'gem',
    select: (entry) =>
      INSTALLED_GEMSPEC.test(entry.path) ? { kind: 'content', maxBytes: MAX_GEMSPEC_BYTES } : undefined,
    detect: detectGems,
  };
}

function detectGems(context: DetectContext): DetectorResult {
  const packages = new PackageSet();
  const notices: ScanNotice[] = [];
  for (const file of context.fs.find((path) => INSTALLED_GEMSPEC.test(path))) {
    if (!file.content) continue;
    const spec = parseGemspec(file.content.toString('utf8'));
    const qualifiers = spec?.platform ? { platform: spec.platform } : undefined;
    const purl = spec && buildLangPurl('gem', undefined, spec.name, spec.version, qualifiers);
    if (!spec || !purl) {
      notices.push({
        level: 'warning',
        code: LangNoticeCode.ManifestInvalid,
        path: file.path,
        message: `gem specification ${file.path} names no gem and version; the gem is left out of the inventory`,
      });
      continue;
    }
    const pkg: Package = {
      type: 'gem',
      name: spec.name,
      version: spec.version,
      purl,
      locations: [file.path],
    };
    if (spec.licenses.length > 0) pkg.licenses = spec.licenses;
    packages.add(pkg);
  }
  return { packages: packages.list(), notices };
}
