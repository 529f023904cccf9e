import { describe, expect, it } from 'vitest';
import { captureFilesystem } from '../../testing/captured-fs.js';
import { createGemDetector } from './gem-detector.js';
import { parseGemspec } from './gemspec.js';

/** As `Gem::Specification#to_ruby` writes it (RubyGems 3.4), abridged to the lines that matter plus a few others. */
const RACK = `# -*- encoding: utf-8 -*-
# stub: rack 2.2.8 ruby lib

Gem::Specification.new do |s|
  s.name = "rack".freeze
  s.version = "2.2.8"

  s.required_rubygems_version = Gem::Requirement.new(">= 0".freeze) if s.respond_to? :required_rubygems_version=
  s.require_paths = ["lib".freeze]
  s.authors = ["Leah Neukirchen".freeze]
  s.homepage = "https://github.com/rack/rack".freeze
  s.licenses = ["MIT".freeze]
  s.rubygems_version = "3.4.19".freeze
  s.summary = "A modular Ruby webserver interface.".freeze

  s.installed_by_version = "3.4.19" if s.respond_to? :installed_by_version
end
`;

const NOKOGIRI = `# -*- encoding: utf-8 -*-
# stub: nokogiri 1.15.4 x86_64-linux lib

Gem::Specification.new do |s|
  s.name = "nokogiri".freeze
  s.version = "1.15.4"
  s.platform = "x86_64-linux".freeze
  s.licenses = ["MIT".freeze]
end
`;

/** RubyGems 1.x wrote %q{} literals and a single `license`. */
const OLD_STYLE = `Gem::Specification.new do |s|
  s.name = %q{json}
  s.version = "1.8.6"
  s.license = %q{Ruby}
end
`;

describe('gem detector', () => {
  it('inventories installed and default gems with platform qualifiers and licences', async () => {
    const detector = createGemDetector();
    const files = {
      '/usr/local/lib/ruby/gems/3.2.0/specifications/rack-2.2.8.gemspec': RACK,
      '/usr/local/bundle/specifications/nokogiri-1.15.4-x86_64-linux.gemspec': NOKOGIRI,
      '/usr/local/lib/ruby/gems/3.2.0/specifications/default/json-1.8.6.gemspec': OLD_STYLE,
      '/usr/local/lib/ruby/gems/3.2.0/gems/rack-2.2.8/rack.gemspec': RACK.replace('2.2.8', '9.9.9'),
    };
    const fs = await captureFilesystem({ files }, [detector]);
    const result = await detector.detect({ fs });
    expect(result.notices).toEqual([]);
    expect(result.packages.map((p) => [p.name, p.version, p.purl, p.licenses])).toEqual([
      ['rack', '2.2.8', 'pkg:gem/rack@2.2.8', ['MIT']],
      ['nokogiri', '1.15.4', 'pkg:gem/nokogiri@1.15.4?platform=x86_64-linux', ['MIT']],
      ['json', '1.8.6', 'pkg:gem/json@1.8.6', ['Ruby']],
    ]);
  });

  it('skips a specification without a name, with a notice', async () => {
    const detector = createGemDetector();
    const fs = await captureFilesystem(
      { files: { '/gems/specifications/x.gemspec': 'Gem::Specification.new do |s|\nend\n' } },
      [detector],
    );
    const result = await detector.detect({ fs });
    expect(result.packages).toEqual([]);
    expect(result.notices?.map((n) => n.code)).toEqual(['SCAN_LANG_MANIFEST_INVALID']);
  });
});

describe('parseGemspec', () => {
  it('falls back to the stub line and reads Gem::Version literals', () => {
    expect(parseGemspec('# stub: rake 13.0.6 ruby lib\n')).toEqual({
      name: 'rake',
      version: '13.0.6',
      licenses: [],
    });
    expect(
      parseGemspec(
        "Gem::Specification.new do |spec|\n  spec.name    = 'json'\n  spec.version = Gem::Version.new('2.7.1')\nend\n",
      ),
    ).toEqual({
      name: 'json',
      version: '2.7.1',
      licenses: [],
    });
  });

  it('does not take other *_version assignments for the version', () => {
    const text =
      's.required_rubygems_version = Gem::Requirement.new(">= 0")\ns.name = "a"\ns.rubygems_version = "3.4.19"\n';
    expect(parseGemspec(text)).toBeUndefined();
  });
});
