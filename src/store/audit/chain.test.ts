import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, canonicalJson, hashAuditEntry, toJsonValue } from './chain.js';
import type { AuditEntry } from './types.js';
import { verifyChain } from './verify.js';

function chain(count: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const unhashed = {
      seq,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      actor: 'user:alice',
      action: 'run.start',
      target: `run:r${seq}`,
      details: { workflow: 'mirror', inputs: { n: seq } },
      prevHash,
    };
    const entry = { ...unhashed, hash: hashAuditEntry(unhashed) };
    entries.push(entry);
    prevHash = entry.hash;
  }
  return entries;
}

const reader = (entries: AuditEntry[]) => async (afterSeq: number, limit: number) =>
  entries.filter((e) => e.seq > afterSeq).slice(0, limit);

describe('canonicalJson', () => {
  it('sorts keys at every level and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('does not depend on key insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(object));
      }),
    );
  });

  it('round-trips through JSON.parse', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const normal = JSON.parse(JSON.stringify(value)) as unknown;
        expect(JSON.parse(canonicalJson(normal))).toEqual(normal);
      }),
    );
  });
});

describe('toJsonValue', () => {
  it('drops undefined, turns dates into strings and replaces NUL', () => {
    expect(toJsonValue({ a: undefined, b: new Date(0), c: 'x\u0000y' })).toEqual({
      b: '1970-01-01T00:00:00.000Z',
      c: 'x\uFFFDy',
    });
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and reports its head', async () => {
    const entries = chain(5);
    expect(await verifyChain(reader(entries))).toEqual({
      ok: true,
      checked: 5,
      head: { seq: 5, hash: entries[4]!.hash },
    });
  });

  it('accepts an empty log', async () => {
    expect(await verifyChain(reader([]))).toEqual({ ok: true, checked: 0 });
  });

  it('names an edited entry', async () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, actor: 'user:mallory' };
    const result = await verifyChain(reader(entries));
    expect(result).toMatchObject({ ok: false, checked: 2, broken: { seq: 3, reason: 'hash-mismatch' } });
  });

  it('names the entry after one that was edited and re-hashed', async () => {
    const entries = chain(5);
    const edited = { ...entries[2]!, details: { workflow: 'other' } };
    entries[2] = { ...edited, hash: hashAuditEntry(edited) };
    expect(await verifyChain(reader(entries))).toMatchObject({
      ok: false,
      broken: { seq: 4, reason: 'chain-broken' },
    });
  });

  it('names the entry after a removed one', async () => {
    const entries = chain(5).filter((e) => e.seq !== 3);
    const result = await verifyChain(reader(entries));
    expect(result.broken).toMatchObject({ seq: 4, reason: 'sequence-gap' });
    expect(result.broken?.message).toContain('entry 3 is missing');
  });

  it('detects swapped entries', async () => {
    const entries = chain(5);
    const [third, fourth] = [entries[2]!, entries[3]!];
    entries[2] = { ...fourth, seq: 3 };
    entries[3] = { ...third, seq: 4 };
    expect((await verifyChain(reader(entries))).broken).toMatchObject({ seq: 3, reason: 'hash-mismatch' });
  });

  it('detects removed newest entries only with an anchor', async () => {
    const entries = chain(5);
    const anchor = { seq: 5, hash: entries[4]!.hash };
    const truncated = entries.slice(0, 3);
    expect((await verifyChain(reader(truncated))).ok).toBe(true);
    expect((await verifyChain(reader(truncated), { anchor })).broken).toMatchObject({
      seq: 5,
      reason: 'anchor-missing',
    });
    expect((await verifyChain(reader(entries), { anchor })).ok).toBe(true);
  });

  it('detects a rewritten chain through its anchor', async () => {
    const entries = chain(5);
    const anchor = { seq: 4, hash: 'f'.repeat(64) };
    expect((await verifyChain(reader(entries), { anchor })).broken).toMatchObject({
      seq: 4,
      reason: 'anchor-mismatch',
    });
  });

  it('reads in batches beyond the batch size', async () => {
    const entries = chain(2500);
    let reads = 0;
    const read = reader(entries);
    const result = await verifyChain((after, limit) => {
      reads++;
      return read(after, limit);
    });
    expect(result).toMatchObject({ ok: true, checked: 2500 });
    expect(reads).toBe(3);
  });
});
