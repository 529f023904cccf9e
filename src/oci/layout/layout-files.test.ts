import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectAppError } from '../content/testing/assertions.js';
import { imageFixture, pushFixture } from '../content/testing/fixtures.js';
import { OciLayoutStore } from './layout-store.js';

describe('OciLayoutStore.open', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'airlock-layout-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  async function writeLayout(layout: string, index: string): Promise<void> {
    await writeFile(join(root, 'oci-layout'), layout);
    await writeFile(join(root, 'index.json'), index);
  }
  const EMPTY_INDEX = '{"schemaVersion":2,"manifests":[]}';

  it('creates a layout: oci-layout 1.0.0, an empty index.json and blobs/', async () => {
    const dir = join(root, 'new', 'layout');
    await OciLayoutStore.open(dir, { create: true });
    expect(JSON.parse(await readFile(join(dir, 'oci-layout'), 'utf8'))).toEqual({
      imageLayoutVersion: '1.0.0',
    });
    expect(JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'))).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [],
    });
    expect((await readdir(dir)).sort()).toEqual(['blobs', 'index.json', 'oci-layout']);
  });

  it('keeps the content of an existing layout when asked to create it', async () => {
    const store = await OciLayoutStore.open(root, { create: true });
    await pushFixture(store, imageFixture({ seed: 1 }), { tag: 'kept' });
    const again = await OciLayoutStore.open(root, { create: true });
    expect((await again.resolve('kept')).size).toBeGreaterThan(0);
  });

  it('refuses a directory that is not a layout, naming the missing file', async () => {
    const error = await expectAppError(
      OciLayoutStore.open(root),
      'OCI_LAYOUT_INVALID',
      join(root, 'oci-layout'),
    );
    expect(error.message).toContain('create');
  });

  it('refuses a layout without index.json', async () => {
    await writeFile(join(root, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    await expectAppError(OciLayoutStore.open(root), 'OCI_LAYOUT_INVALID', join(root, 'index.json'));
  });

  const badLayouts: [string, string, string][] = [
    ['not JSON', '{imageLayoutVersion', 'not valid JSON'],
    ['not an object', '["1.0.0"]', 'JSON object'],
    ['without imageLayoutVersion', '{}', 'field "imageLayoutVersion" is missing'],
    [
      'of another version',
      '{"imageLayoutVersion":"2.0.0"}',
      'field "imageLayoutVersion" is "2.0.0"; only 1.0.0',
    ],
  ];
  for (const [title, content, problem] of badLayouts) {
    it(`refuses an oci-layout file ${title}`, async () => {
      await writeLayout(content, EMPTY_INDEX);
      const error = await expectAppError(OciLayoutStore.open(root), 'OCI_LAYOUT_INVALID', problem);
      expect(error.message).toContain(join(root, 'oci-layout'));
      expect(error.details.file).toBe(join(root, 'oci-layout'));
    });
  }

  const badIndexes: [string, string, string | undefined][] = [
    ['not JSON', '{"schemaVersion":', undefined],
    ['of schema version 1', '{"schemaVersion":1,"manifests":[]}', undefined],
    ['without manifests', '{"schemaVersion":2}', undefined],
    [
      'with an invalid entry digest',
      '{"schemaVersion":2,"manifests":[{"mediaType":"a/b","digest":"sha256:zz","size":1}]}',
      'manifests[0].digest',
    ],
    [
      'with a negative entry size',
      '{"schemaVersion":2,"manifests":[{"mediaType":"a/b","digest":"sha256:' +
        'a'.repeat(64) +
        '","size":-1}]}',
      'manifests[0].size',
    ],
    [
      'of a Docker manifest list',
      '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[]}',
      undefined,
    ],
  ];
  for (const [title, content, field] of badIndexes) {
    it(`refuses an index.json ${title}`, async () => {
      await writeLayout('{"imageLayoutVersion":"1.0.0"}', content);
      const error = await expectAppError(
        OciLayoutStore.open(root),
        'OCI_LAYOUT_INVALID',
        join(root, 'index.json'),
      );
      expect(error.details.file).toBe(join(root, 'index.json'));
      if (field) {
        expect(error.details.field).toBe(field);
        expect(error.message).toContain(field);
      }
    });
  }

  it('opens a layout whose index.json has no mediaType, as older tools wrote it', async () => {
    await writeLayout('{"imageLayoutVersion":"1.0.0"}', EMPTY_INDEX);
    await mkdir(join(root, 'blobs'));
    const store = await OciLayoutStore.open(root);
    expect(store.location.kind).toBe('layout');
  });

  it('honours an aborted signal', async () => {
    await expect(
      OciLayoutStore.open(root, { create: true, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
