import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeContentStoreConformance } from '../content/testing/conformance.js';
import { OciLayoutStore } from './layout-store.js';

describeContentStoreConformance('OciLayoutStore', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'airlock-layout-'));
  const store = await OciLayoutStore.open(join(directory, 'layout'), { create: true });
  return { store, cleanup: () => rm(directory, { recursive: true, force: true }) };
});
