import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { readFilesystem } from './read-filesystem.js';
import { LayerNoticeCode } from './notices.js';
import { gzipOf, layerOf, tarOf, type TarEntry } from './testing/tar-fixtures.js';
import type { CaptureRequest, CapturedFilesystem, EntryInfo, FileSelector } from './types.js';

function selector(
  pick: (entry: EntryInfo) => CaptureRequest | undefined,
  name?: string,
): FileSelector & { name?: string } {
  return { select: pick, ...(name === undefined ? {} : { name }) };
}

/** A probe selector over files whose path matches, recording what it saw. */
function prober(
  pattern: RegExp,
  probe: (chunks: AsyncIterable<Buffer>, entry: EntryInfo) => Promise<unknown>,
  name?: string,
): FileSelector {
  return selector((entry) => (pattern.test(entry.path) ? { kind: 'probe', probe } : undefined), name);
}

async function sha(chunks: AsyncIterable<Buffer>): Promise<{ bytes: number; chunks: number; text: string }> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  const all = Buffer.concat(parts);
  return { bytes: all.length, chunks: parts.length, text: all.subarray(0, 16).toString('latin1') };
}

async function read(entries: TarEntry[][], selectors: FileSelector[]): Promise<CapturedFilesystem> {
  const layers = await Promise.all(entries.map(async (e) => layerOf(gzipOf(await tarOf(e)))));
  return readFilesystem(layers, selectors);
}

const big = Buffer.alloc(1024 * 1024 + 17, 'abcdefgh');

describe('capturing files', () => {
  it('streams a file through a probe and keeps only its result', async () => {
    const fs = await read([[{ name: 'usr/bin/app', content: big, mode: 0o755 }]], [prober(/bin/, sha)]);
    const file = fs.get('/usr/bin/app')!;
    expect(file.content).toBeUndefined();
    expect(file.probe).toMatchObject({ bytes: big.length, text: 'abcdefghabcdefgh' });
    expect((file.probe as { chunks: number }).chunks).toBeGreaterThan(1);
  });

  it('serves content and several probes of one file at once, keyed by selector', async () => {
    const first = prober(/app/, async (chunks) => (await sha(chunks)).bytes, 'go');
    const second = prober(
      /app/,
      async (chunks, entry) => `${entry.path}:${(await sha(chunks)).text}`,
      'rust',
    );
    const content = selector(() => ({ kind: 'content', maxBytes: 10 * 1024 * 1024 }));
    const fs = await read([[{ name: 'app', content: big }]], [first, second, content]);
    const file = fs.get('/app')!;
    expect(file.content?.equals(big)).toBe(true);
    expect(file.probe).toBeUndefined();
    expect(file.probes?.get(first)).toBe(big.length);
    expect(file.probes?.get(second)).toBe('/app:abcdefghabcdefgh');
  });

  it('reads content up to the largest cap asked for', async () => {
    const small = selector(() => ({ kind: 'content', maxBytes: 10 }));
    const large = selector(() => ({ kind: 'content', maxBytes: 100 }));
    const fs = await read([[{ name: 'f', content: 'x'.repeat(50) }]], [small, large]);
    expect(fs.get('/f')?.content?.length).toBe(50);
    expect(fs.notices).toEqual([]);
  });

  it('gives a slow probe every byte in order, with backpressure', async () => {
    const slow = prober(/app/, async (chunks) => {
      const parts: Buffer[] = [];
      for await (const chunk of chunks) {
        await nextTurn();
        parts.push(Buffer.from(chunk));
      }
      return Buffer.concat(parts).equals(big);
    });
    const after = selector((e) => (e.path === '/after' ? { kind: 'content', maxBytes: 10 } : undefined));
    const fs = await read(
      [
        [
          { name: 'app', content: big },
          { name: 'after', content: 'ok' },
        ],
      ],
      [slow, after],
    );
    expect(fs.get('/app')?.probe).toBe(true);
    expect(fs.get('/after')?.content?.toString()).toBe('ok');
  });

  it('drains the rest of a file for a probe that stops early, and reads the next file', async () => {
    const early = prober(/app/, async (chunks) => {
      for await (const chunk of chunks) return chunk.subarray(0, 4).toString();
      return 'empty';
    });
    const fs = await read(
      [
        [
          { name: 'app', content: big },
          { name: 'next', content: 'next file' },
        ],
      ],
      [early, selector((e) => (e.path === '/next' ? { kind: 'content', maxBytes: 100 } : undefined))],
    );
    expect(fs.get('/app')?.probe).toBe('abcd');
    expect(fs.get('/next')?.content?.toString()).toBe('next file');
  });

  it('turns a throwing probe or selector into a notice and goes on', async () => {
    const broken = prober(
      /app/,
      async (chunks) => {
        for await (const _ of chunks) throw new Error('bad ELF header');
      },
      'go-binary',
    );
    const throwing = selector(() => {
      throw new Error('selector bug');
    }, 'npm');
    const fine = prober(/app/, async (chunks) => (await sha(chunks)).bytes);
    const fs = await read([[{ name: 'app', content: big }]], [broken, throwing, fine]);
    expect(fs.get('/app')?.probe).toBe(big.length);
    expect(fs.notices).toEqual([
      expect.objectContaining({
        code: LayerNoticeCode.ProbeFailed,
        message: 'detector npm failed on /app: selector bug',
        path: '/app',
      }),
      expect.objectContaining({
        code: LayerNoticeCode.ProbeFailed,
        message: 'detector go-binary failed on /app: bad ELF header',
      }),
    ]);
  });

  it('gives probes of empty files an empty stream', async () => {
    const fs = await read([[{ name: 'empty', content: '' }]], [prober(/empty/, sha)]);
    expect(fs.get('/empty')?.probe).toEqual({ bytes: 0, chunks: 0, text: '' });
  });

  it("reuses a target's probe result for its hard links, and probes links over kept contents", async () => {
    let calls = 0;
    const counting = prober(/bin/, async (chunks) => {
      calls++;
      return (await sha(chunks)).bytes;
    });
    const onlyLinks = prober(/link$/, async (chunks) => (await sha(chunks)).text);
    const content = selector((e) =>
      e.path === '/bin/tool' ? { kind: 'content', maxBytes: 100 } : undefined,
    );
    const fs = await read(
      [
        [
          { name: 'bin/tool', content: 'tool bytes' },
          { name: 'bin/tool-link', type: 'link', linkname: 'bin/tool' },
        ],
      ],
      [counting, onlyLinks, content],
    );
    expect(calls).toBe(1);
    const link = fs.get('/bin/tool-link')!;
    expect(link.probes?.get(counting)).toBe(10);
    expect(link.probes?.get(onlyLinks)).toBe('tool bytes');
  });

  it("shows a link's entry to selectors as a hard link to its target", async () => {
    const seen: EntryInfo[] = [];
    await read(
      [
        [
          { name: 'a', content: 'aaa', mode: 0o755 },
          { name: 'b', type: 'link', linkname: './a' },
        ],
      ],
      [selector((e) => void seen.push(e))],
    );
    expect(seen).toEqual([
      { path: '/a', type: 'file', size: 3, mode: 0o755 },
      { path: '/b', type: 'hardlink', size: 3, mode: 0o755, linkTarget: '/a' },
    ]);
  });
});

describe('capture limits', () => {
  it('does not read a file larger than every cap asked for, and says so', async () => {
    const fs = await read(
      [[{ name: 'var/lib/dpkg/status', content: 'x'.repeat(2000) }]],
      [selector(() => ({ kind: 'content', maxBytes: 1000 }))],
    );
    const file = fs.files.get('/var/lib/dpkg/status')!;
    expect(file).toMatchObject({ size: 2000 });
    expect(file.content).toBeUndefined();
    expect(fs.notices).toEqual([
      expect.objectContaining({ code: LayerNoticeCode.FileTooLarge, path: '/var/lib/dpkg/status' }),
    ]);
  });

  it('stops reading contents once the image budget is spent', async () => {
    const layer = layerOf(
      gzipOf(await tarOf([1, 2, 3, 4].map((i) => ({ name: `f${i}`, content: String(i).repeat(400) })))),
    );
    const fs = await readFilesystem([layer], [selector(() => ({ kind: 'content', maxBytes: 1000 }))], {
      limits: { maxCapturedBytesPerImage: 1000 },
    });
    expect([1, 2, 3, 4].map((i) => fs.get(`/f${i}`)?.content?.length)).toEqual([
      400,
      400,
      undefined,
      undefined,
    ]);
    expect(fs.notices.map((n) => [n.code, n.path])).toEqual([
      [LayerNoticeCode.CaptureBudget, '/f3'],
      [LayerNoticeCode.CaptureBudget, '/f4'],
    ]);
  });
});
