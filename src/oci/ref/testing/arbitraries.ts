import fc from 'fast-check';
import type { Digest } from '../../../kernel/index.js';
import { NAME_TOTAL_LENGTH_MAX } from '../grammar.js';
import type { ImageReference } from '../reference.js';
import { DOCKER_HUB, canonicalRegistry } from '../registry.js';

/**
 * fast-check generators of valid image names, for property tests of anything that parses,
 * stores or serves references.
 */

const HEX = [...'0123456789abcdef'];

function hex(length: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...HEX), minLength: length, maxLength: length });
}

export const pathComponentArb: fc.Arbitrary<string> = fc.stringMatching(
  /^[a-z0-9]{1,8}(?:(?:[._]|__|-{1,3})[a-z0-9]{1,8}){0,3}$/,
);

export const repositoryPathArb: fc.Arbitrary<string> = fc
  .array(pathComponentArb, { minLength: 1, maxLength: 4 })
  .map((components) => components.join('/'));

export const tagArb: fc.Arbitrary<string> = fc.stringMatching(/^\w[\w.-]{0,127}$/);

export const digestArb: fc.Arbitrary<Digest> = fc.oneof(
  hex(64).map((h) => `sha256:${h}`),
  hex(128).map((h) => `sha512:${h}`),
);

const labelArb = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
const portArb = fc.integer({ min: 1, max: 65535 });
const withPort = (host: string, port: number | null): string => (port === null ? host : `${host}:${port}`);

/** Registry hosts in canonical form: lowercase, Docker Hub as `docker.io`. */
export const canonicalRegistryArb: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(DOCKER_HUB, 'ghcr.io', 'quay.io', 'mcr.microsoft.com', 'public.ecr.aws', 'localhost'),
    fc
      .tuple(fc.array(labelArb, { minLength: 2, maxLength: 4 }), fc.option(portArb))
      .map(([labels, port]) => withPort(labels.join('.'), port)),
    fc.tuple(labelArb, portArb).map(([label, port]) => withPort(label, port)),
    fc
      .tuple(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), fc.option(portArb))
      .map(([octets, port]) => withPort(octets.join('.'), port)),
    fc
      .tuple(fc.constantFrom('::1', '2001:db8::1', 'fe80::a:b', '::ffff:10.0.0.1'), fc.option(portArb))
      .map(([address, port]) => withPort(`[${address}]`, port)),
  )
  .filter((registry) => canonicalRegistry(registry) === registry);

/** Normalised references, as {@link parseReference} returns them. */
export const imageReferenceArb: fc.Arbitrary<ImageReference> = fc
  .record({
    registry: canonicalRegistryArb,
    repository: repositoryPathArb,
    tag: fc.option(tagArb),
    digest: fc.option(digestArb),
  })
  .map(({ registry, repository, tag, digest }) => {
    const ref: ImageReference = {
      registry,
      repository: registry === DOCKER_HUB && !repository.includes('/') ? `library/${repository}` : repository,
    };
    if (tag !== null) ref.tag = tag;
    if (digest !== null) ref.digest = digest;
    return ref;
  })
  .filter((ref) => ref.registry.length + 1 + ref.repository.length <= NAME_TOTAL_LENGTH_MAX);

/** Docker Hub host spellings users write, all meaning `docker.io`. */
const dockerHubSpellingArb = fc.constantFrom(
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'Docker.IO',
);

/** Uppercases some letters: hosts are case-insensitive. */
function mixCase(text: string, mask: boolean[]): string {
  return [...text].map((char, i) => (mask[i % mask.length] ? char.toUpperCase() : char)).join('');
}

/**
 * References as users write them: with or without a registry, Docker Hub aliases,
 * hosts in mixed case, an optional `docker://` prefix.
 */
export const writtenReferenceArb: fc.Arbitrary<string> = fc
  .record({
    transport: fc.boolean(),
    registry: fc.option(
      fc.oneof(
        dockerHubSpellingArb,
        fc
          .tuple(canonicalRegistryArb, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }))
          .map(([registry, mask]) => mixCase(registry, mask)),
      ),
    ),
    repository: repositoryPathArb,
    tag: fc.option(tagArb),
    digest: fc.option(digestArb),
  })
  .filter(
    ({ registry, repository }) => registry !== null || !/^(?:[^/]*\.|localhost(?:\/|$))/.test(repository),
  )
  .map(({ transport, registry, repository, tag, digest }) => {
    const name = registry === null ? repository : `${registry}/${repository}`;
    const text = name + (tag === null ? '' : `:${tag}`) + (digest === null ? '' : `@${digest}`);
    return transport ? `docker://${text}` : text;
  });
