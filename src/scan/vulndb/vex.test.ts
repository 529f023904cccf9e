import { describe, expect, it } from 'vitest';
import type { Finding } from './finding.js';
import { applyVex, parseOpenVex, purlMatches } from './vex.js';

const IMAGE = `sha256:${'a'.repeat(64)}`;
const OTHER_IMAGE = `sha256:${'b'.repeat(64)}`;

function finding(id: string, aliases: string[], purl: string): Finding {
  return {
    id,
    aliases,
    advisories: aliases,
    package: { name: purl.split('/').pop()!.split('@')[0]!, version: '1', type: 'deb', purl },
    fixedVersions: [],
    severity: { rating: 'HIGH', source: 'CVSS_V3' },
    urls: [],
    origin: 'osv',
    suppressed: false,
  };
}

const LIBSSL = 'pkg:deb/debian/libssl3@3.0.8-1?arch=amd64&distro=debian-12';
const CURL = 'pkg:deb/debian/libcurl4@7.88.1-7?arch=amd64&distro=debian-12';

function document(statements: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'https://example.com/vex/2024-001',
    author: 'Platform Security <security@example.com>',
    timestamp: '2024-03-01T10:00:00Z',
    version: 1,
    statements,
    ...extra,
  });
}

describe('OpenVEX', () => {
  it('suppresses not_affected findings of the named package, keeping the justification', () => {
    const { document: vex, problems } = parseOpenVex(
      document([
        {
          vulnerability: { '@id': 'https://nvd.nist.gov/vuln/detail/CVE-2023-0464', name: 'CVE-2023-0464' },
          products: [{ '@id': 'pkg:deb/debian/libssl3' }],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
          impact_statement: 'The service never verifies certificate chains with policy constraints.',
        },
      ]),
      'vex.json',
    );
    expect(problems).toEqual([]);
    const [ssl, curl] = applyVex(
      [finding('CVE-2023-0464', ['DEBIAN-CVE-2023-0464'], LIBSSL), finding('CVE-2023-0464', [], CURL)],
      [vex],
    );
    expect(ssl).toMatchObject({
      suppressed: true,
      vex: {
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        impactStatement: 'The service never verifies certificate chains with policy constraints.',
        document: 'https://example.com/vex/2024-001',
        timestamp: '2024-03-01T10:00:00Z',
      },
    });
    expect(curl).toMatchObject({ suppressed: false });
    expect(curl!.vex).toBeUndefined();
  });

  it('matches a statement by an alias of the finding, and `fixed` suppresses too', () => {
    const { document: vex } = parseOpenVex(
      document([
        {
          vulnerability: { name: 'DEBIAN-CVE-2023-2650', aliases: [] },
          products: [{ '@id': LIBSSL }],
          status: 'fixed',
        },
      ]),
      'vex.json',
    );
    expect(applyVex([finding('CVE-2023-2650', ['DEBIAN-CVE-2023-2650'], LIBSSL)], [vex])[0]).toMatchObject({
      suppressed: true,
      vex: { status: 'fixed' },
    });
  });

  it('applies image products (by digest) to their subcomponents only, and only for that image', () => {
    const { document: vex } = parseOpenVex(
      document([
        {
          vulnerability: { name: 'CVE-2023-28319' },
          products: [
            {
              '@id': `pkg:oci/app@${IMAGE}?repository_url=registry.example.com/app`,
              subcomponents: [{ '@id': 'pkg:deb/debian/libcurl4' }],
            },
          ],
          status: 'not_affected',
          justification: 'component_not_present',
        },
      ]),
      'vex.json',
    );
    const findings = [finding('CVE-2023-28319', [], CURL), finding('CVE-2023-28319', [], LIBSSL)];
    expect(applyVex(findings, [vex], { imageDigests: [IMAGE] }).map((f) => f.suppressed)).toEqual([
      true,
      false,
    ]);
    expect(applyVex(findings, [vex], { imageDigests: [OTHER_IMAGE] }).map((f) => f.suppressed)).toEqual([
      false,
      false,
    ]);
  });

  it('applies a statement about the image as a whole to every package in it', () => {
    const { document: vex } = parseOpenVex(
      document([
        {
          vulnerability: 'CVE-2011-3374',
          products: [{ '@id': 'app', hashes: { 'sha-256': 'a'.repeat(64) } }],
          status: 'not_affected',
          impact_statement: 'apt is never run',
        },
      ]),
      'vex.json',
    );
    expect(
      applyVex([finding('CVE-2011-3374', [], 'pkg:deb/debian/apt@2.6.1')], [vex], {
        imageDigests: [IMAGE],
      })[0],
    ).toMatchObject({
      suppressed: true,
      vex: { impactStatement: 'apt is never run' },
    });
  });

  it('lets the latest statement win, and records statements that do not suppress', () => {
    const earlier = parseOpenVex(
      document(
        [
          {
            vulnerability: { name: 'CVE-1' },
            products: [{ '@id': LIBSSL }],
            status: 'not_affected',
            justification: 'component_not_present',
          },
        ],
        { timestamp: '2024-01-01T00:00:00Z' },
      ),
      'a.json',
    ).document;
    const later = parseOpenVex(
      document([
        {
          vulnerability: { name: 'CVE-1' },
          products: [{ '@id': LIBSSL }],
          status: 'affected',
          action_statement: 'Upgrade to 3.0.9-1',
          timestamp: '2024-02-01T00:00:00+01:00',
        },
      ]),
      'b.json',
    ).document;
    const [result] = applyVex([finding('CVE-1', [], LIBSSL)], [later, earlier]);
    expect(result).toMatchObject({
      suppressed: false,
      vex: { status: 'affected', actionStatement: 'Upgrade to 3.0.9-1' },
    });
    const investigating = parseOpenVex(
      document([{ vulnerability: { name: 'CVE-1' }, products: [LIBSSL], status: 'under_investigation' }]),
      'c.json',
    ).document;
    expect(applyVex([finding('CVE-1', [], LIBSSL)], [investigating])[0]).toMatchObject({
      suppressed: false,
      vex: { status: 'under_investigation' },
    });
  });

  it('skips invalid statements with a reason and rejects documents that are not OpenVEX', () => {
    const parsed = parseOpenVex(
      document([
        { vulnerability: { name: 'CVE-1' }, products: [{ '@id': LIBSSL }], status: 'not_affected' },
        {
          vulnerability: { name: 'CVE-2' },
          products: [{ '@id': LIBSSL }],
          status: 'not_affected',
          justification: 'we_said_so',
        },
        { vulnerability: {}, products: [{ '@id': LIBSSL }], status: 'fixed' },
        { vulnerability: { name: 'CVE-3' }, products: [], status: 'fixed' },
        { vulnerability: { name: 'CVE-4' }, products: [{ '@id': LIBSSL }], status: 'wontfix' },
      ]),
      'vex.json',
    );
    expect(parsed.document.statements).toEqual([]);
    expect(parsed.problems).toEqual([
      'vex.json: statements[0]: a not_affected statement needs a "justification" or an "impact_statement"',
      'vex.json: statements[1]: unknown justification "we_said_so"',
      'vex.json: statements[2]: "vulnerability" needs a "name"',
      'vex.json: statements[3]: "products" is empty',
      'vex.json: statements[4]: "status" must be one of not_affected, affected, fixed, under_investigation',
    ]);
    expect(() => parseOpenVex('{"statements": []}', 'x.json')).toThrow(/x\.json is not an OpenVEX document/);
    expect(() => parseOpenVex('not json', 'x.json')).toThrow(
      expect.objectContaining({ code: 'SCAN_VEX_INVALID' }),
    );
  });

  it('matches purls by type, namespace, name, and whatever version and qualifiers the statement gives', () => {
    expect(purlMatches('pkg:deb/debian/libssl3', LIBSSL)).toBe(true);
    expect(purlMatches('pkg:deb/debian/libssl3@3.0.8-1', LIBSSL)).toBe(true);
    expect(purlMatches('pkg:deb/debian/libssl3@3.0.9-1', LIBSSL)).toBe(false);
    expect(purlMatches('pkg:deb/debian/libssl3?arch=arm64', LIBSSL)).toBe(false);
    expect(purlMatches('pkg:deb/ubuntu/libssl3', LIBSSL)).toBe(false);
    expect(purlMatches('pkg:rpm/debian/libssl3', LIBSSL)).toBe(false);
    expect(purlMatches('not a purl', LIBSSL)).toBe(false);
  });
});
