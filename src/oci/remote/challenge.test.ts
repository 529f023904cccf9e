import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuthChallenge, parseWwwAuthenticate } from './challenge.js';

function bearer(params: Record<string, string>): AuthChallenge {
  return { scheme: 'bearer', params };
}

describe('parseWwwAuthenticate: headers registries send', () => {
  const cases: [string, string, AuthChallenge[]][] = [
    [
      'Docker Hub',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull"',
      [
        bearer({
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/python:pull',
        }),
      ],
    ],
    [
      'GHCR',
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull"',
      [bearer({ realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:user/image:pull' })],
    ],
    [
      'ACR with an error',
      'Bearer realm="https://myreg.azurecr.io/oauth2/token",service="myreg.azurecr.io",scope="repository:hello-world:pull",error="insufficient_scope"',
      [
        bearer({
          realm: 'https://myreg.azurecr.io/oauth2/token',
          service: 'myreg.azurecr.io',
          scope: 'repository:hello-world:pull',
          error: 'insufficient_scope',
        }),
      ],
    ],
    [
      'ECR',
      'Basic realm="https://123456789012.dkr.ecr.us-east-1.amazonaws.com/",service="ecr.amazonaws.com"',
      [
        {
          scheme: 'basic',
          params: {
            realm: 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com/',
            service: 'ecr.amazonaws.com',
          },
        },
      ],
    ],
    [
      'Quay',
      'Bearer realm="https://quay.io/v2/auth",service="quay.io",scope="repository:coreos/etcd:pull"',
      [
        bearer({
          realm: 'https://quay.io/v2/auth',
          service: 'quay.io',
          scope: 'repository:coreos/etcd:pull',
        }),
      ],
    ],
    [
      'Harbor, with a comma inside the scope',
      'Bearer realm="https://harbor.example.com/service/token",service="harbor-registry",scope="repository:library/nginx:pull,push"',
      [
        bearer({
          realm: 'https://harbor.example.com/service/token',
          service: 'harbor-registry',
          scope: 'repository:library/nginx:pull,push',
        }),
      ],
    ],
    [
      'distribution, several scopes',
      'Bearer realm="http://127.0.0.1:5000/auth",service="Docker registry",scope="repository:a:pull repository:b:pull,push",error="invalid_token"',
      [
        bearer({
          realm: 'http://127.0.0.1:5000/auth',
          service: 'Docker registry',
          scope: 'repository:a:pull repository:b:pull,push',
          error: 'invalid_token',
        }),
      ],
    ],
    [
      'unquoted values, odd case and spacing',
      'bearer  Realm = https://auth.example.com/token ,SERVICE=registry.example.com',
      [bearer({ realm: 'https://auth.example.com/token', service: 'registry.example.com' })],
    ],
    [
      'RFC 9110 §11.6.1 example: two challenges, escaped quotes',
      'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
      [
        { scheme: 'newauth', params: { realm: 'apps', type: '1', title: 'Login to "apps"' } },
        { scheme: 'basic', params: { realm: 'simple' } },
      ],
    ],
    [
      'quoted values with commas, "=" and backslashes',
      'Basic realm="a, b=c", Bearer realm="x\\\\y",service="s=t"',
      [{ scheme: 'basic', params: { realm: 'a, b=c' } }, bearer({ realm: 'x\\y', service: 's=t' })],
    ],
    [
      'bare schemes',
      'Basic, Negotiate',
      [
        { scheme: 'basic', params: {} },
        { scheme: 'negotiate', params: {} },
      ],
    ],
    [
      'token68',
      'Negotiate YIIBeAYGKwYB+/==, Bearer realm="r"',
      [{ scheme: 'negotiate', params: {}, token68: 'YIIBeAYGKwYB+/==' }, bearer({ realm: 'r' })],
    ],
    ['empty values', 'Bearer realm="",service=', [bearer({ realm: '', service: '' })]],
    [
      'empty list elements',
      ' , Bearer ,, realm="r" ,, service="s" ,',
      [bearer({ realm: 'r', service: 's' })],
    ],
    [
      'a repeated parameter keeps its first value',
      'Bearer realm="first", realm="second"',
      [bearer({ realm: 'first' })],
    ],
  ];

  it.each(cases)('%s', (_name, header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });

  it('reads several header values in order', () => {
    expect(parseWwwAuthenticate(['Basic realm="a"', 'Bearer realm="b"'])).toEqual([
      { scheme: 'basic', params: { realm: 'a' } },
      bearer({ realm: 'b' }),
    ]);
  });

  it('returns nothing for a missing or empty header', () => {
    expect(parseWwwAuthenticate(undefined)).toEqual([]);
    expect(parseWwwAuthenticate('')).toEqual([]);
    expect(parseWwwAuthenticate([])).toEqual([]);
  });

  it('skips what it cannot read and keeps the rest', () => {
    expect(parseWwwAuthenticate('"junk", Bearer realm="r"')).toEqual([bearer({ realm: 'r' })]);
    expect(parseWwwAuthenticate('=x, Basic realm="b"')).toEqual([
      { scheme: 'basic', params: { realm: 'b' } },
    ]);
    expect(parseWwwAuthenticate('Bearer realm="r" junk, service="s"')).toEqual([
      bearer({ realm: 'r', service: 's' }),
    ]);
    expect(parseWwwAuthenticate('Bearer service="s", realm="unterminated')).toEqual([
      bearer({ service: 's' }),
    ]);
  });

  it('is safe with parameter names that are Object.prototype members', () => {
    const [challenge] = parseWwwAuthenticate('Bearer __proto__="x", constructor="y", realm="r"');
    expect(challenge!.params.realm).toBe('r');
    expect(Object.hasOwn(challenge!.params, '__proto__')).toBe(true);
    expect(challenge!.params['constructor']).toBe('y');
    expect(parseWwwAuthenticate('Bearer realm="r"')[0]!.params['toString']).toBeUndefined();
  });
});

// A formatter written from RFC 9110's grammar, independent of the parser.
const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".split('');
const tokenArb = fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength: 12 });
const valueArb = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 30,
});
const token68Arb = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...'AZaz09-._~+/'.split('')), minLength: 1, maxLength: 20 }),
    fc.integer({ min: 0, max: 2 }),
  )
  .map(([body, pad]) => body + '='.repeat(pad));
const spaceArb = fc.constantFrom('', ' ', '  ', '\t');

interface Generated {
  challenge: AuthChallenge;
  text: string;
}

function quoteValue(value: string, asToken: boolean): string {
  if (asToken && /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value)) return value;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const paramsArb = fc.uniqueArray(fc.tuple(tokenArb, valueArb, fc.boolean(), spaceArb, spaceArb), {
  maxLength: 5,
  selector: ([name]) => name.toLowerCase(),
});

const challengeArb: fc.Arbitrary<Generated> = fc.oneof(
  fc.tuple(tokenArb, paramsArb, spaceArb).map(([scheme, params, sep]): Generated => {
    const text = params.map(([n, v, t, s1, s2]) => `${n}${s1}=${s2}${quoteValue(v, t)}`).join(`,${sep}`);
    // fromEntries defines own properties, as the parser does: a parameter named `__proto__` is data.
    const expected: Record<string, string> = Object.fromEntries(
      params.map(([name, value]) => [name.toLowerCase(), value]),
    );
    return {
      challenge: { scheme: scheme.toLowerCase(), params: expected },
      text: text === '' ? scheme : `${scheme} ${text}`,
    };
  }),
  fc.tuple(tokenArb, token68Arb).map(([scheme, token68]): Generated => ({
    challenge: { scheme: scheme.toLowerCase(), params: {}, token68 },
    text: `${scheme} ${token68}`,
  })),
);

it('keeps a parameter named __proto__ as data, never as a prototype', () => {
  const [challenge] = parseWwwAuthenticate('Bearer __proto__="x",realm="https://auth.example/token"');
  expect(Object.hasOwn(challenge!.params, '__proto__')).toBe(true);
  expect(challenge!.params.__proto__).toBe('x');
  expect(challenge!.params.realm).toBe('https://auth.example/token');
});

describe('parseWwwAuthenticate properties', () => {
  it('parses formatted challenges back', () => {
    fc.assert(
      fc.property(fc.array(challengeArb, { minLength: 1, maxLength: 4 }), spaceArb, (generated, sep) => {
        const header = generated.map((g) => g.text).join(`,${sep}`);
        expect(parseWwwAuthenticate(header)).toEqual(generated.map((g) => g.challenge));
      }),
      { numRuns: 2000 },
    );
  });

  it('splitting challenges across header values changes nothing', () => {
    fc.assert(
      fc.property(fc.array(challengeArb, { minLength: 1, maxLength: 4 }), (generated) => {
        const joined = parseWwwAuthenticate(generated.map((g) => g.text).join(', '));
        expect(parseWwwAuthenticate(generated.map((g) => g.text))).toEqual(joined);
      }),
    );
  });

  it('never throws', () => {
    const inputs = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: fc.constantFrom(...'Bb =,"\\\t;aZ'.split('')), maxLength: 60 }),
    );
    fc.assert(
      fc.property(inputs, (text) => {
        for (const challenge of parseWwwAuthenticate(text)) expect(challenge.scheme).toMatch(/^[^\sA-Z]+$/);
      }),
      { numRuns: 5000 },
    );
  });
});
