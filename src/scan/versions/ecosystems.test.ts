import { describe, expect, it } from 'vitest';
import { schemeForEcosystem, schemeForRange } from './ecosystems.js';

describe('schemeForEcosystem', () => {
  it.each([
    ['Debian:12', 'dpkg'],
    ['Debian', 'dpkg'],
    ['Ubuntu:22.04:LTS', 'dpkg'],
    ['Ubuntu:Pro:18.04:LTS', 'dpkg'],
    ['Echo', 'dpkg'],
    ['Alpine:v3.20', 'apk'],
    ['Wolfi', 'apk'],
    ['Chainguard', 'apk'],
    ['MinimOS', 'apk'],
    ['Alpaquita:stream', 'apk'],
    ['AlmaLinux:9', 'rpm'],
    ['Red Hat', 'rpm'],
    ['Red Hat:rhel_aus:8.4::appstream', 'rpm'],
    ['Rocky Linux:9', 'rpm'],
    ['openSUSE:Tumbleweed', 'rpm'],
    ['SUSE:Linux Enterprise Server 15 SP5', 'rpm'],
    ['Photon OS:5.0', 'rpm'],
    ['Mageia:9', 'rpm'],
    ['Azure Linux:3', 'rpm'],
    ['openEuler:24.03-LTS', 'rpm'],
    ['Amazon Linux', 'rpm'],
    ['npm', 'semver'],
    ['Go', 'semver'],
    ['crates.io', 'semver'],
    ['Hex', 'semver'],
    ['PyPI', 'pep440'],
    ['Maven', 'maven'],
    ['Maven:https://maven.google.com', 'maven'],
    ['RubyGems', 'rubygems'],
    ['NuGet', 'nuget'],
    ['TuxCare:Alpine:v3.16', 'apk'],
    ['TuxCare:Red Hat', 'rpm'],
    ['TuxCare:npm', 'semver'],
    ['Echo:PyPI', 'pep440'],
    ['Echo:Maven', 'maven'],
  ])('%s → %s', (ecosystem, scheme) => {
    expect(schemeForEcosystem(ecosystem)).toBe(scheme);
  });

  it.each([
    'GIT',
    'Packagist',
    'Pub',
    'Hackage',
    'CRAN',
    'Linux',
    'Android',
    'OSS-Fuzz',
    'Root:Alpine:3.18',
    'Echo:npm',
    'TuxCare',
    'TuxCare:TuxCare:npm',
    'debian:12',
    'pypi',
    '',
  ])('%s has no scheme', (ecosystem) => {
    expect(schemeForEcosystem(ecosystem)).toBeUndefined();
  });
});

describe('schemeForRange', () => {
  it('uses semver for SEMVER ranges whatever the ecosystem, and nothing for GIT ranges', () => {
    expect(schemeForRange('SEMVER', 'Debian:12')).toBe('semver');
    expect(schemeForRange('ECOSYSTEM', 'Debian:12')).toBe('dpkg');
    expect(schemeForRange('ECOSYSTEM', 'Packagist')).toBeUndefined();
    expect(schemeForRange('GIT', 'PyPI')).toBeUndefined();
  });
});
