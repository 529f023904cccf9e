import { describe, expect, it } from 'vitest';
import { MediaType } from '../../mediatype/index.js';
import { digestOf } from '../../../kernel/index.js';
import { expectAppError } from './assertions.js';
import type { ConformanceContext } from './conformance.js';
import { collect, imageFixture, pushFixture } from './fixtures.js';

// Unsorted, with upper case, digits and a prefix pair, to show the order is lexical (byte order).
const TAGS = ['v2', 'latest', '1.0', 'B', 'v10', 'a', 'a-1', 'v1'];
const SORTED = ['1.0', 'B', 'a', 'a-1', 'latest', 'v1', 'v10', 'v2'];

export function describeTagConformance(context: ConformanceContext): void {
  describe('tags', () => {
    it('points a new tag at a stored manifest', async () => {
      const image = imageFixture({ seed: 31 });
      await pushFixture(context.store, image);
      await context.store.tag(image.manifest.descriptor, 'stable');
      expect((await context.store.resolve('stable')).digest).toBe(image.manifest.descriptor.digest);
    });

    it('refuses to tag a manifest that is not stored', async () => {
      const descriptor = { mediaType: MediaType.OciManifest, digest: digestOf('absent'), size: 6 };
      await expectAppError(context.store.tag(descriptor, 'ghost'), 'OCI_MANIFEST_UNKNOWN', descriptor.digest);
      await expectAppError(context.store.resolve('ghost'), 'OCI_MANIFEST_UNKNOWN');
    });

    it('moves a tag to the manifest pushed last under it, keeping the old one by digest', async () => {
      const first = imageFixture({ seed: 32 });
      const second = imageFixture({ seed: 33 });
      await pushFixture(context.store, first, { tag: 'rolling' });
      await pushFixture(context.store, second, { tag: 'rolling' });
      expect((await context.store.resolve('rolling')).digest).toBe(second.manifest.descriptor.digest);
      expect((await context.store.resolve(first.manifest.descriptor.digest)).digest).toBe(
        first.manifest.descriptor.digest,
      );
      expect(await collect(context.store.listTags())).toEqual(['rolling']);
    });

    it('lists no tags in an empty store', async () => {
      expect(await collect(context.store.listTags())).toEqual([]);
    });

    describe('listing', () => {
      async function pushTagged(): Promise<void> {
        const image = imageFixture({ seed: 34 });
        const other = imageFixture({ seed: 35 });
        await pushFixture(context.store, image, { tag: TAGS[0] });
        await pushFixture(context.store, other, { tag: TAGS[1] });
        for (const [i, tag] of TAGS.slice(2).entries()) {
          await context.store.tag((i % 2 === 0 ? image : other).manifest.descriptor, tag);
        }
      }

      it('lists every tag once, in lexical order', async () => {
        await pushTagged();
        expect(await collect(context.store.listTags())).toEqual(SORTED);
      });

      it('pages through all tags whatever the page size', async () => {
        await pushTagged();
        for (const pageSize of [1, 3, 100])
          expect(await collect(context.store.listTags({ pageSize }))).toEqual(SORTED);
      });

      it('starts after `last`, whether or not `last` is a tag', async () => {
        await pushTagged();
        expect(await collect(context.store.listTags({ last: 'a' }))).toEqual([
          'a-1',
          'latest',
          'v1',
          'v10',
          'v2',
        ]);
        expect(await collect(context.store.listTags({ last: 'latest', pageSize: 2 }))).toEqual([
          'v1',
          'v10',
          'v2',
        ]);
        expect(await collect(context.store.listTags({ last: 'b' }))).toEqual(['latest', 'v1', 'v10', 'v2']);
        expect(await collect(context.store.listTags({ last: 'v2' }))).toEqual([]);
      });
    });
  });
}
