import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MediaType } from '../mediatype/index.js';
import { expectAppError } from '../content/testing/assertions.js';
import { describeContentStoreConformance } from '../content/testing/conformance.js';
import {
  collect,
  imageFixture,
  indexFixture,
  pushFixture,
  referrerFixture,
} from '../content/testing/fixtures.js';
import { REF_NAME_ANNOTATION } from './layout-index.js';
import { OciLayoutStore } from './layout-store.js';

describeContentStoreConformance('OciLayoutStore', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'airlock-layout-'));
  const store = await OciLayoutStore.open(join(directory, 'layout'), { create: true });
  return { store, cleanup: () => rm(directory, { recursive: true, force: true }) };
});

interface IndexJson {
  manifests: { digest: string; mediaType: string; annotations?: Record<string, string> }[];
  annotations?: Record<string, string>;
}

describe('OciLayoutStore index.json', () => {
  let directory: string;
  let root: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'airlock-layout-'));
    root = join(directory, 'layout');
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  async function readIndexJson(): Promise<IndexJson> {
    return JSON.parse(await readFile(join(root, 'index.json'), 'utf8')) as IndexJson;
  }
  function entries(index: IndexJson): [string, string | undefined][] {
    return index.manifests.map((m) => [m.digest, m.annotations?.[REF_NAME_ANNOTATION]]);
  }

  it('reports the absolute layout directory as its location', async () => {
    const relative = join(directory, 'a', '..', 'layout');
    const store = await OciLayoutStore.open(relative, { create: true });
    expect(store.location).toEqual({ kind: 'layout', registry: root, repository: '' });
  });

  it('records tags as ref-name annotations, one entry per tag', async () => {
    const store = await OciLayoutStore.open(root, { create: true });
    const first = imageFixture({ seed: 1 });
    const second = imageFixture({ seed: 2 });
    await pushFixture(store, first, { tag: 'v1' });
    await pushFixture(store, second, { tag: 'latest' });
    await store.tag(first.manifest.descriptor, 'stable');
    await store.tag(first.manifest.descriptor, 'latest');
    expect(entries(await readIndexJson())).toEqual([
      [first.manifest.descriptor.digest, 'v1'],
      [first.manifest.descriptor.digest, 'stable'],
      [first.manifest.descriptor.digest, 'latest'],
    ]);
    expect((await readIndexJson()).manifests[0]).toMatchObject({
      mediaType: MediaType.OciManifest,
      size: first.manifest.descriptor.size,
    });
  });

  it('keeps untagged top-level manifests and referrers as entries, but not the children of an index', async () => {
    const store = await OciLayoutStore.open(root, { create: true });
    const children = [imageFixture({ seed: 3 }), imageFixture({ seed: 4 })];
    const index = indexFixture(children);
    const loose = imageFixture({ seed: 5 });
    await pushFixture(store, index);
    await pushFixture(store, loose);
    const referrer = referrerFixture(children[0]!.manifest.descriptor, {
      artifactType: 'application/vnd.example.sbom',
    });
    await pushFixture(store, referrer);
    expect(entries(await readIndexJson())).toEqual([
      [index.manifest.descriptor.digest, undefined],
      [loose.manifest.descriptor.digest, undefined],
      [referrer.manifest.descriptor.digest, undefined],
    ]);
    const tagged = await OciLayoutStore.open(root);
    await tagged.tag(loose.manifest.descriptor, 'loose');
    expect(entries(await readIndexJson())).toEqual([
      [index.manifest.descriptor.digest, undefined],
      [referrer.manifest.descriptor.digest, undefined],
      [loose.manifest.descriptor.digest, 'loose'],
    ]);
  });

  it('finds tags, children and referrers again after reopening, including referrers of index children', async () => {
    const first = await OciLayoutStore.open(root, { create: true });
    const child = imageFixture({ seed: 6 });
    const index = indexFixture([child]);
    await pushFixture(first, index, { tag: 'multi' });
    const onChild = referrerFixture(child.manifest.descriptor, {
      seed: 7,
      artifactType: 'application/vnd.example.sig',
    });
    // A referrer reachable only through an index, as a foreign tool may write it.
    const bundle = indexFixture([onChild]);
    await pushFixture(first, bundle, { tag: 'bundle' });

    const reopened = await OciLayoutStore.open(root);
    expect((await reopened.resolve('multi')).digest).toBe(index.manifest.descriptor.digest);
    expect((await reopened.resolve(child.manifest.descriptor.digest)).mediaType).toBe(MediaType.OciManifest);
    const referrers = await reopened.listReferrers(child.manifest.descriptor);
    expect(referrers.map((d) => d.digest)).toEqual([onChild.manifest.descriptor.digest]);
    expect(referrers[0]!.artifactType).toBe('application/vnd.example.sig');
  });

  it('resolves the digest of a blob that is not a manifest as unknown', async () => {
    const store = await OciLayoutStore.open(root, { create: true });
    const image = imageFixture({ seed: 8 });
    await pushFixture(store, image, { tag: 't' });
    const layer = image.blobs[1]!.descriptor.digest;
    await expectAppError(store.resolve(layer), 'OCI_MANIFEST_UNKNOWN', layer);
  });

  it('resolves ref names other tools write, such as full image references', async () => {
    const store = await OciLayoutStore.open(root, { create: true });
    const image = imageFixture({ seed: 9 });
    await pushFixture(store, image);
    const index = await readIndexJson();
    index.manifests[0]!.annotations = { [REF_NAME_ANNOTATION]: 'example.com/team/app:1.0' };
    index.annotations = { 'org.example.kept': 'yes' };
    await writeFile(join(root, 'index.json'), JSON.stringify(index));

    const reopened = await OciLayoutStore.open(root);
    expect((await reopened.resolve('example.com/team/app:1.0')).digest).toBe(
      image.manifest.descriptor.digest,
    );
    expect(await collect(reopened.listTags())).toEqual(['example.com/team/app:1.0']);
    await reopened.tag(image.manifest.descriptor, 'v1');
    expect((await readIndexJson()).annotations).toEqual({ 'org.example.kept': 'yes' });
  });

  it('serialises concurrent index.json updates, losing none', async () => {
    const store = await OciLayoutStore.open(root, { create: true });
    const image = imageFixture({ seed: 10 });
    await pushFixture(store, image);
    const tags = Array.from({ length: 20 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    await Promise.all(tags.map((tag) => store.tag(image.manifest.descriptor, tag)));
    expect(await collect((await OciLayoutStore.open(root)).listTags())).toEqual(tags);
  });

  it('refuses a manifest whose blobs are not in the layout', async () => {
    const store = await OciLayoutStore.open(root, { create: true });
    const image = imageFixture({ seed: 11 });
    await expectAppError(
      store.pushManifest(image.manifest, { tag: 't' }),
      'OCI_MANIFEST_BLOB_UNKNOWN',
      'config',
    );
    expect(await store.manifestExists(image.manifest.descriptor)).toBe(false);
    expect((await readIndexJson()).manifests).toEqual([]);
  });

  it('refuses to delete, as a blob, a manifest index.json lists', async () => {
    const store = await OciLayoutStore.open(root, { create: true });
    const image = imageFixture({ seed: 12 });
    await pushFixture(store, image, { tag: 't' });
    await expectAppError(store.deleteBlob(image.manifest.descriptor), 'OCI_DENIED', 'deleteManifest');
    expect(await store.manifestExists(image.manifest.descriptor)).toBe(true);
  });

  it('skips manifests missing from a partial layout when looking for referrers', async () => {
    const store = await OciLayoutStore.open(root, { create: true });
    const children = [imageFixture({ seed: 13 }), imageFixture({ seed: 14 })];
    const index = indexFixture(children);
    await pushFixture(store, index, { tag: 'partial' });
    const referrer = referrerFixture(index.manifest.descriptor, {
      seed: 15,
      artifactType: 'application/vnd.example.sbom',
    });
    await pushFixture(store, referrer);
    await rm(join(root, 'blobs', 'sha256', children[1]!.manifest.descriptor.digest.slice('sha256:'.length)));

    const reopened = await OciLayoutStore.open(root);
    expect((await reopened.listReferrers(index.manifest.descriptor)).map((d) => d.digest)).toEqual([
      referrer.manifest.descriptor.digest,
    ]);
  });
});
