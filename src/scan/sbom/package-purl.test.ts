import { describe, expect, it } from 'vitest';
import type { Package } from '../inventory/types.js';
import { completePurl, imagePurl, readPurl } from './package-purl.js';

function read(purl: string) {
  const reading = readPurl(purl);
  if (!reading.ok) throw new Error(reading.message);
  return reading;
}

describe('readPurl', () => {
  it('names packages the way their ecosystems vulnerability data does', () => {
    expect(read('pkg:npm/%40babel/core@7.24.0').package.name).toBe('@babel/core');
    expect(read('pkg:golang/github.com/sirupsen/logrus@v1.9.3').package.name).toBe(
      'github.com/sirupsen/logrus',
    );
    expect(read('pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1').package.name).toBe(
      'org.apache.logging.log4j:log4j-core',
    );
    expect(read('pkg:deb/ubuntu/libssl3@3.0.2-0ubuntu1.15?arch=amd64&distro=ubuntu-22.04').package.name).toBe(
      'libssl3',
    );
    expect(read('pkg:pypi/requests@2.31.0').package.name).toBe('requests');
  });

  it('reads a Debian package: version with epoch, source package from upstream, arch and distro', () => {
    const reading = read(
      'pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=arm64&distro=debian-12&upstream=zlib%401%3A1.2.13.dfsg-1',
    );
    expect(reading.package).toEqual({
      type: 'deb',
      name: 'zlib1g',
      version: '1:1.2.13.dfsg-1',
      purl: 'pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=arm64&distro=debian-12&upstream=zlib%401%3A1.2.13.dfsg-1',
      source: { name: 'zlib', version: '1:1.2.13.dfsg-1' },
      architecture: 'arm64',
    });
    expect(reading.namespace).toBe('debian');
    expect(reading.distro).toBe('debian-12');
  });

  it('reads an RPM: epoch qualifier into the version, source RPM file name into name and version-release', () => {
    const reading = read(
      'pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&epoch=1&upstream=openssl-3.0.7-27.el9.src.rpm&distro=rhel-9.4',
    );
    expect(reading.package.version).toBe('1:3.0.7-27.el9');
    expect(reading.package.source).toEqual({ name: 'openssl', version: '3.0.7-27.el9' });
    expect(reading.package.architecture).toBe('x86_64');
    expect(read('pkg:rpm/redhat/bash@5.1.8-9.el9?epoch=0').package.version).toBe('5.1.8-9.el9');
  });

  it('reads an apk origin as the source package', () => {
    const reading = read(
      'pkg:apk/alpine/libcrypto3@3.3.2-r0?arch=x86_64&upstream=openssl&distro=alpine-3.20.3',
    );
    expect(reading.package.source).toEqual({ name: 'openssl' });
  });

  it('does not read upstream as a source for language packages', () => {
    expect(read('pkg:npm/lodash@4.17.21?upstream=x').package.source).toBeUndefined();
  });

  it('refuses ecosystems it does not inventory and malformed purls, saying which', () => {
    expect(readPurl('pkg:github/actions/checkout@v4')).toMatchObject({
      ok: false,
      reason: 'unsupported-type',
      purlType: 'github',
    });
    expect(readPurl('not a purl')).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('completePurl', () => {
  const base: Package = {
    type: 'deb',
    name: 'libc6',
    version: '2.36-9+deb12u7',
    purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?distro=debian-12',
    architecture: 'amd64',
    source: { name: 'glibc' },
    locations: [],
  };

  it('adds arch and upstream to OS package purls that lack them', () => {
    const completed = completePurl(base);
    expect(read(completed).package).toMatchObject({ architecture: 'amd64', source: { name: 'glibc' } });
    expect(read(completed).distro).toBe('debian-12');
  });

  it('writes source versions as syft does: deb name@version, RPM source file name', () => {
    expect(
      read(completePurl({ ...base, source: { name: 'glibc', version: '2.36-9' } })).package.source,
    ).toEqual({ name: 'glibc', version: '2.36-9' });
    const rpm: Package = {
      ...base,
      type: 'rpm',
      purl: 'pkg:rpm/redhat/openssl-libs@3.0.7-27.el9',
      source: { name: 'openssl', version: '3.0.7-27.el9' },
    };
    expect(completePurl(rpm)).toContain('upstream=openssl-3.0.7-27.el9.src.rpm');
  });

  it('leaves purls alone when they already say it, and language purls always', () => {
    const stated = { ...base, purl: 'pkg:deb/debian/libc6@2.36-9?arch=i386&upstream=eglibc' };
    expect(completePurl(stated)).toBe(stated.purl);
    const npm: Package = {
      type: 'npm',
      name: 'x',
      version: '1.0.0',
      purl: 'pkg:npm/x@1.0.0',
      architecture: 'amd64',
      locations: [],
    };
    expect(completePurl(npm)).toBe(npm.purl);
  });
});

describe('imagePurl', () => {
  const digest = 'sha256:244fd47e07d1004f0aed9c156aa09083ecf6bfc2b8d3a63b83d2bd28c3f4b2fc';

  it('names the image by the last path component and qualifies it with repository, arch and tag', () => {
    const purl = imagePurl({
      repository: 'ghcr.io/Acme/Tools/Debian',
      tag: 'latest',
      digest,
      architecture: 'amd64',
    });
    expect(purl.startsWith('pkg:oci/debian@sha256:244fd47e')).toBe(true);
    const reading = readPurl(purl);
    expect(reading.ok).toBe(false);
    expect(new URLSearchParams(purl.split('?')[1]).get('repository_url')).toBe('ghcr.io/Acme/Tools/Debian');
    expect(new URLSearchParams(purl.split('?')[1]).get('tag')).toBe('latest');
  });

  it('falls back to a layout name or "image"', () => {
    expect(imagePurl({ name: 'app', digest })).toBe(`pkg:oci/app@${digest}`);
    expect(imagePurl({ digest })).toBe(`pkg:oci/image@${digest}`);
  });
});
