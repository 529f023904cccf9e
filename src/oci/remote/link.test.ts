import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextLink } from './link.js';

const CATALOG = 'https://registry.example.com/v2/_catalog?n=100';

describe('nextLink', () => {
  it.each([
    [
      'distribution',
      '</v2/_catalog?last=b&n=100>; rel="next"',
      'https://registry.example.com/v2/_catalog?last=b&n=100',
    ],
    [
      'unquoted rel',
      '</v2/_catalog?last=b&n=100>;rel=next',
      'https://registry.example.com/v2/_catalog?last=b&n=100',
    ],
    ['rel in capitals', '</v2/x?last=b>; REL="NEXT"', 'https://registry.example.com/v2/x?last=b'],
    ['several relation types', '</v2/x?last=c>; rel="last next"', 'https://registry.example.com/v2/x?last=c'],
    [
      'parameters in any order',
      '</v2/x?last=d>; title="page, 2; of 3"; type="application/json"; rel="next"',
      'https://registry.example.com/v2/x?last=d',
    ],
    ['odd spacing', '  </v2/x?last=e>  ;   rel  =  "next"  ', 'https://registry.example.com/v2/x?last=e'],
    [
      'absolute target',
      '<https://cdn.example.net/v2/_catalog?last=f>; rel="next"',
      'https://cdn.example.net/v2/_catalog?last=f',
    ],
    [
      'relative to the path',
      '<_catalog?last=g>; rel="next"',
      'https://registry.example.com/v2/_catalog?last=g',
    ],
    ['target with a comma', '</v2/x?last=a,b>; rel="next"', 'https://registry.example.com/v2/x?last=a,b'],
    [
      'several links, next not first',
      '</v2/x?last=z>; rel="last", </v2/x?first=1>; rel=prev, </v2/x?last=h>; rel="next"',
      'https://registry.example.com/v2/x?last=h',
    ],
    [
      'garbage before a good link',
      'nonsense; rel=next, </v2/x?last=i>; rel="next"',
      'https://registry.example.com/v2/x?last=i',
    ],
    [
      'first rel counts',
      '</v2/x?last=j>; rel="prev"; rel="next", </v2/x?last=k>; rel="next"',
      'https://registry.example.com/v2/x?last=k',
    ],
  ])('%s', (_name, header, expected) => {
    expect(nextLink(header, CATALOG)?.href).toBe(expected);
  });

  it('reads several header values', () => {
    const url = nextLink(['</v2/x?a=1>; rel="prev"', '</v2/x?last=l>; rel="next"'], new URL(CATALOG));
    expect(url?.href).toBe('https://registry.example.com/v2/x?last=l');
  });

  it.each([
    ['no header', undefined],
    ['empty', ''],
    ['no next', '</v2/x?last=b>; rel="prev"'],
    ['rel merely containing next', '</v2/x?last=b>; rel="nextpage"'],
    ['no rel', '</v2/x?last=b>; title="next"'],
    ['unterminated target', '</v2/x?last=b; rel="next"'],
    ['not http', '<ftp://example.com/x>; rel="next"'],
    ['javascript', '<javascript:alert(1)>; rel="next"'],
    ['back to the request itself', `<${CATALOG}>; rel="next"`],
    ['empty target, also the request itself', '<>; rel="next"'],
  ])('returns undefined: %s', (_name, header) => {
    expect(nextLink(header, CATALOG)).toBeUndefined();
  });

  it('returns undefined for a request URL it cannot read', () => {
    expect(nextLink('</v2/x>; rel="next"', '/relative/only')).toBeUndefined();
  });
});

const spaceArb = fc.constantFrom('', ' ', '  ', '\t');
const tokenArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/).filter((t) => t !== 'rel' && t !== 'next');
const pathArb = fc
  .stringMatching(/^\/v2\/[a-z0-9/_-]{1,20}\?(?:last|n)=[a-zA-Z0-9._,-]{1,12}$/)
  .filter((path) => new URL(path, CATALOG).href !== CATALOG);
const paramArb = fc
  .tuple(tokenArb, fc.string({ maxLength: 12, unit: fc.constantFrom(...'a ,;=<>"\\'.split('')) }), spaceArb)
  .map(([name, value, s]) => `;${s}${name}=${s}"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`);
const otherRelArb = fc.array(tokenArb, { minLength: 1, maxLength: 3 });

/** A link header with exactly one next link among others, with parameters shuffled around `rel`. */
const headerArb = fc
  .record({
    target: pathArb,
    before: fc.array(fc.tuple(pathArb, otherRelArb), { maxLength: 3 }),
    after: fc.array(fc.tuple(pathArb, otherRelArb), { maxLength: 3 }),
    rels: otherRelArb,
    relPosition: fc.nat(),
    params: fc.array(paramArb, { maxLength: 3 }),
    quoted: fc.boolean(),
    sep: spaceArb,
  })
  .map(({ target, before, after, rels, relPosition, params, quoted, sep }) => {
    const types = [...rels];
    types.splice(relPosition % (types.length + 1), 0, 'next');
    const rel = quoted ? `;${sep}rel="${types.join(' ')}"` : `;${sep}rel=next`;
    const ps = [...params];
    ps.splice(relPosition % (ps.length + 1), 0, rel);
    const other = ([path, types]: [string, string[]]) => `<${path}>;${sep}rel="${types.join(' ')}"`;
    const links = [...before.map(other), `<${target}>${sep}${ps.join(sep)}`, ...after.map(other)];
    return { target, header: links.join(`,${sep}`) };
  });

describe('nextLink properties', () => {
  it('finds the next link wherever it is and resolves it', () => {
    fc.assert(
      fc.property(headerArb, ({ target, header }) => {
        expect(nextLink(header, CATALOG)?.href).toBe(new URL(target, CATALOG).href);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws', () => {
    const inputs = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: fc.constantFrom(...'<>/;,= "\\rel nxt'.split('')), maxLength: 60 }),
    );
    fc.assert(
      fc.property(inputs, (header) => {
        const url = nextLink(header, CATALOG);
        if (url !== undefined) expect(['http:', 'https:']).toContain(url.protocol);
      }),
      { numRuns: 5000 },
    );
  });
});
