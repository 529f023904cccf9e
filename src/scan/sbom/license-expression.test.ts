import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyLicense,
  conjoinLicenses,
  formatLicenseExpression,
  licenseRefFor,
  parseLicenseExpression,
  splitConjunction,
} from './license-expression.js';
import { canonicalLicenseId, listedLicenseIds } from './spdx-license-list.js';

describe('classifyLicense', () => {
  it.each([
    ['MIT', 'MIT'],
    ['mit', 'MIT'],
    ['apache-2.0', 'Apache-2.0'],
    ['GPL-2.0+', 'GPL-2.0+'],
    ['Classpath-exception-2.0', 'Classpath-exception-2.0'],
  ])('%s is the listed identifier %s', (text, id) => {
    expect(classifyLicense(text)).toEqual({ kind: 'id', id });
  });

  it.each([
    ['MIT OR Apache-2.0', 'MIT OR Apache-2.0'],
    ['mit or apache-2.0', 'MIT OR Apache-2.0'],
    ['(MIT AND BSD-3-Clause) OR GPL-2.0-only', 'MIT AND BSD-3-Clause OR GPL-2.0-only'],
    ['MIT AND (BSD-3-Clause OR GPL-2.0-only)', 'MIT AND (BSD-3-Clause OR GPL-2.0-only)'],
    ['GPL-2.0-only WITH Classpath-exception-2.0', 'GPL-2.0-only WITH Classpath-exception-2.0'],
    ['MPL-2.0+', 'MPL-2.0+'],
    ['Apache-1.0+', 'Apache-1.0+'],
    ['LicenseRef-Proprietary', 'LicenseRef-Proprietary'],
    ['DocumentRef-other:LicenseRef-x AND MIT', 'DocumentRef-other:LicenseRef-x AND MIT'],
  ])('%s is the expression %s', (text, expression) => {
    const classified = classifyLicense(text);
    expect(classified.kind).toBe('expression');
    expect(classified.kind === 'expression' && classified.expression).toBe(expression);
  });

  it.each([
    'GPL-2+',
    'BSD-style',
    'Apache License, Version 2.0',
    'MIT OR',
    '(MIT',
    'MIT WITH MIT-0 WITH X',
    'Apache-2.0 WITH NotAnException',
    '',
  ])('"%s" is a name', (text) => {
    expect(classifyLicense(text).kind).toBe('name');
  });

  it('treats deeply nested and very long strings as names instead of overflowing the stack', () => {
    expect(classifyLicense(`${'('.repeat(2000)}MIT${')'.repeat(2000)}`).kind).toBe('name');
    expect(classifyLicense(Array(2000).fill('MIT').join(' AND ')).kind).toBe('name');
  });
});

describe('splitConjunction', () => {
  it('splits top-level AND and keeps disjunctions whole', () => {
    expect(splitConjunction('MIT AND (BSD-3-Clause OR GPL-2.0-only) AND Zlib')).toEqual([
      'MIT',
      'BSD-3-Clause OR GPL-2.0-only',
      'Zlib',
    ]);
    expect(splitConjunction('MIT OR (Zlib AND ISC)')).toEqual(['MIT OR Zlib AND ISC']);
    expect(splitConjunction('  not an expression ')).toEqual(['not an expression']);
  });
});

describe('conjoinLicenses', () => {
  it('joins with AND, parenthesising disjunctions, naming unlisted licences by LicenseRef', () => {
    expect(conjoinLicenses(['MIT', 'Apache-2.0 OR BSD-3-Clause', 'GPL-2+'], licenseRefFor)).toBe(
      'MIT AND (Apache-2.0 OR BSD-3-Clause) AND LicenseRef-GPL-2',
    );
    expect(conjoinLicenses(['Apache-2.0 OR MIT'], licenseRefFor)).toBe('Apache-2.0 OR MIT');
    expect(conjoinLicenses(['mit', 'MIT'], licenseRefFor)).toBe('MIT');
    expect(conjoinLicenses([], licenseRefFor)).toBeUndefined();
  });

  it('gives back what it joined when split (property)', () => {
    const ids = ['MIT', 'Apache-2.0', 'BSD-3-Clause', 'GPL-2.0-only', 'LGPL-2.1-or-later', 'ISC', 'Zlib'];
    const id = fc.constantFrom(...ids);
    const disjunction = fc.uniqueArray(id, { minLength: 2, maxLength: 3 }).map((parts) => parts.join(' OR '));
    const license = fc.oneof(id, disjunction);
    fc.assert(
      fc.property(fc.uniqueArray(license, { minLength: 1, maxLength: 5 }), (licenses) => {
        const joined = conjoinLicenses(licenses, licenseRefFor)!;
        expect(parseLicenseExpression(joined)).toBeDefined();
        expect(splitConjunction(joined)).toEqual(licenses);
      }),
    );
  });
});

describe('formatLicenseExpression', () => {
  it('renders a parsed expression in canonical spelling', () => {
    const node = parseLicenseExpression('gpl-3.0-only with gcc-exception-3.1 or (mit and isc)')!;
    expect(formatLicenseExpression(node)).toBe('GPL-3.0-only WITH GCC-exception-3.1 OR MIT AND ISC');
  });
});

describe('licenseRefFor', () => {
  it('reduces names to the idstring alphabet', () => {
    expect(licenseRefFor('Apache License, Version 2.0')).toBe('LicenseRef-Apache-License-Version-2.0');
    expect(licenseRefFor('GPL-2+')).toBe('LicenseRef-GPL-2');
    expect(licenseRefFor('???')).toBe('LicenseRef-unnamed');
  });
});

describe('canonicalLicenseId', () => {
  it('holds exactly the identifiers the CycloneDX 1.6 schema accepts as license.id', () => {
    const schema = new URL('../../../test/fixtures/schemas/spdx.schema.json', import.meta.url);
    const enumerated = (JSON.parse(readFileSync(schema, 'utf8')) as { enum: string[] }).enum;
    expect(listedLicenseIds()).toEqual(enumerated);
  });

  it('knows the list (3.24) case-insensitively and nothing else', () => {
    expect(canonicalLicenseId('bsd-3-clause')).toBe('BSD-3-Clause');
    expect(canonicalLicenseId('LLVM-exception')).toBe('LLVM-exception');
    expect(canonicalLicenseId('GPL-2')).toBeUndefined();
  });
});
