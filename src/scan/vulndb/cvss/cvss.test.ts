import { describe, expect, it } from 'vitest';
import { scoreCvssVector } from './index.js';
import { roundUp } from './cvss3.js';

/**
 * Scores checked against published values: the worked examples of FIRST's "CVSS v3.1:
 * Examples" document, NVD's scores of well-known CVEs, and for v4.0 the examples of FIRST's
 * specification and scores of FIRST's reference calculator (as recorded in the test vectors of
 * Red Hat's `cvss` library, which are generated with it).
 */

const V31_PUBLISHED: [string, string, number][] = [
  [
    'FIRST example: CVE-2013-1937 phpMyAdmin reflected XSS',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N',
    6.1,
  ],
  [
    'FIRST example: CVE-2013-0375 MySQL stored SQL injection',
    'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N',
    6.4,
  ],
  ['FIRST example: CVE-2014-3566 SSLv3 POODLE', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1],
  [
    'FIRST example: CVE-2012-1516 VMware guest to host escape',
    'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H',
    9.9,
  ],
  [
    'FIRST example: CVE-2009-0783 Apache Tomcat XML parser',
    'CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L',
    4.2,
  ],
  [
    'FIRST example: CVE-2012-0384 Cisco IOS command injection',
    'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
    8.8,
  ],
  [
    'FIRST example: CVE-2015-1098 Apple iWork denial of service',
    'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H',
    7.8,
  ],
  ['FIRST example: CVE-2014-6271 GNU Bash "Shellshock"', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
  [
    'FIRST example: CVE-2016-5729 Lenovo BIOS privilege escalation',
    'CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    8.4,
  ],
  [
    'FIRST example: CVE-2015-2890 Unlock with a screen-lock bypass',
    'CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
    4.6,
  ],
  ['NVD: CVE-2014-0160 Heartbleed', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5],
  ['NVD: CVE-2021-44228 Log4Shell', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10],
  ['NVD: CVE-2022-0778 OpenSSL BN_mod_sqrt loop', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5],
  [
    'NVD: CVE-2023-32681 requests Proxy-Authorization leak',
    'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N',
    6.1,
  ],
];

const V4_PUBLISHED: [string, string, number][] = [
  [
    'specification: every impact high, network, no privileges',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    9.3,
  ],
  [
    'specification: the most severe MacroVector',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H',
    10,
  ],
  [
    'reference calculator: local privilege escalation',
    'CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    8.5,
  ],
  [
    'reference calculator: low impacts on the vulnerable system',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N',
    6.9,
  ],
  ['reference calculator', 'CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:L/SC:L/SI:H/SA:L', 5.3],
  ['reference calculator', 'CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:P/VC:N/VI:H/VA:L/SC:N/SI:H/SA:H', 7.0],
  ['reference calculator', 'CVSS:4.0/AV:A/AC:L/AT:P/PR:H/UI:P/VC:H/VI:L/VA:N/SC:L/SI:H/SA:L', 5.8],
  ['reference calculator', 'CVSS:4.0/AV:L/AC:L/AT:P/PR:N/UI:N/VC:N/VI:H/VA:N/SC:N/SI:N/SA:L', 5.9],
  ['reference calculator', 'CVSS:4.0/AV:P/AC:L/AT:P/PR:H/UI:N/VC:L/VI:N/VA:L/SC:H/SI:H/SA:N', 2.1],
  ['reference calculator', 'CVSS:4.0/AV:P/AC:H/AT:P/PR:N/UI:A/VC:H/VI:L/VA:H/SC:N/SI:L/SA:N', 4.6],
  [
    'reference calculator: exploit maturity attacked',
    'CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:A',
    7.3,
  ],
  [
    'reference calculator: proof of concept lowers the score',
    'CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:P',
    5.9,
  ],
  [
    'reference calculator: unreported exploit',
    'CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U',
    4.1,
  ],
  [
    'reference calculator: availability requirement medium',
    'CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:H/AR:M',
    7.2,
  ],
  [
    'reference calculator: supplemental metrics do not score',
    'CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/S:N/AU:N/R:A/V:D/RE:L/U:Clear',
    7.3,
  ],
  [
    'no impact at all scores zero',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/CR:H/IR:H/AR:H',
    0,
  ],
];

describe('CVSS v3.x base score', () => {
  it.each(V31_PUBLISHED)('%s', (_name, vector, expected) => {
    expect(scoreCvssVector(vector)).toEqual({ ok: true, version: '3.1', score: expected });
  });

  it('scores v3.0 vectors with the same equations', () => {
    expect(scoreCvssVector('CVSS:3.0/AV:L/AC:H/PR:N/UI:R/S:C/C:H/I:H/A:H')).toEqual({
      ok: true,
      version: '3.0',
      score: 7.7,
    });
    expect(scoreCvssVector('CVSS:3.0/AV:N/AC:H/PR:L/UI:R/S:C/C:L/I:L/A:L')).toEqual({
      ok: true,
      version: '3.0',
      score: 5.5,
    });
  });

  it('ignores temporal and environmental metrics for the base score', () => {
    expect(
      scoreCvssVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:R/CR:L/MAV:P'),
    ).toMatchObject({ score: 9.8 });
  });

  it('rounds up on integers, free of floating-point noise (v3.1 Appendix A)', () => {
    expect(roundUp(4.000000000000001)).toBe(4);
    expect(roundUp(4.02)).toBe(4.1);
    expect(roundUp(4)).toBe(4);
    expect(roundUp(9.999)).toBe(10);
  });

  it('scores zero when nothing is impacted', () => {
    expect(scoreCvssVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N')).toMatchObject({ score: 0 });
  });
});

describe('CVSS v4.0 score (MacroVector method)', () => {
  it.each(V4_PUBLISHED)('%s', (_name, vector, expected) => {
    expect(scoreCvssVector(vector)).toEqual({ ok: true, version: '4.0', score: expected });
  });

  it('uses modified (environmental) metrics in place of the base ones', () => {
    const base = scoreCvssVector('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N');
    const modified = scoreCvssVector(
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MAV:P/MVC:N/MVI:N',
    );
    expect(base.ok && modified.ok && modified.score < base.score).toBe(true);
    // Safety impact on the subsequent system puts the vector in EQ4 level 0.
    expect(
      scoreCvssVector('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSI:S'),
    ).toMatchObject({ score: 10 });
  });
});

describe('CVSS v2 base score', () => {
  it.each([
    ['AV:N/AC:L/Au:N/C:C/I:C/A:C', 10],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', 7.5],
    ['AV:N/AC:L/Au:S/C:C/I:C/A:N', 8.5],
    ['AV:A/AC:H/Au:N/C:N/I:N/A:C', 4.6],
    ['AV:L/AC:H/Au:M/C:N/I:P/A:P', 2.3],
    ['(AV:N/AC:M/Au:N/C:N/I:P/A:N)', 4.3],
  ] as const)('%s scores %d', (vector, expected) => {
    expect(scoreCvssVector(vector)).toEqual({ ok: true, version: '2.0', score: expected });
  });
});

describe('invalid vectors', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', 'lacks A'],
    ['CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'AV cannot be "X"'],
    ['CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'appears twice'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N', 'SI cannot be "S"'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/XX:Y', 'unknown CVSS 4.0 metric "XX"'],
    ['CVSS:3.1/AV:N/AC', 'is not METRIC:VALUE'],
    ['high', 'starts with "AV:"'],
  ])('%s is rejected: %s', (vector, problem) => {
    const result = scoreCvssVector(vector);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problem).toContain(problem);
  });
});
