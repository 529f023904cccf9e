import { GENESIS_HASH, hashAuditEntry } from './chain.js';
import type { AuditBreak, AuditEntry, AuditVerification, VerifyAuditOptions } from './types.js';

/** Entries read per query: bounded memory whatever the log's length. */
const BATCH_SIZE = 1000;

/** Reads up to `limit` entries with `seq > afterSeq`, in sequence order. */
export type AuditBatchReader = (afterSeq: number, limit: number) => Promise<AuditEntry[]>;

/**
 * Walks the whole chain from the first entry and recomputes every hash. The first entry that
 * fails a check is reported with what it means:
 * - its own hash does not match its content: the row was edited;
 * - its `prevHash` is not the hash of the entry before: an entry before it was edited and
 *   re-hashed, or entries were inserted, removed or reordered;
 * - its number does not follow the one before: entries were removed.
 * Removing the newest entries leaves a valid, shorter chain; an `anchor` (a head recorded
 * earlier, elsewhere) catches that.
 */
export async function verifyChain(
  read: AuditBatchReader,
  options: VerifyAuditOptions = {},
): Promise<AuditVerification> {
  let previous: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  let anchorSeen = false;
  for (;;) {
    const batch = await read(previous.seq, BATCH_SIZE);
    for (const entry of batch) {
      const problem = checkEntry(entry, previous) ?? checkAnchor(entry, options.anchor);
      if (problem)
        return { ok: false, checked, head: headOf(previous), broken: { seq: entry.seq, ...problem } };
      if (options.anchor?.seq === entry.seq) anchorSeen = true;
      previous = { seq: entry.seq, hash: entry.hash };
      checked++;
    }
    if (batch.length < BATCH_SIZE) break;
  }
  if (options.anchor && !anchorSeen) {
    const { seq } = options.anchor;
    return {
      ok: false,
      checked,
      head: headOf(previous),
      broken: {
        seq,
        reason: 'anchor-missing',
        message: `entry ${seq} of the recorded anchor is missing: the log ends at entry ${previous.seq}, so its newest entries were removed`,
      },
    };
  }
  return { ok: true, checked, head: headOf(previous) };
}

function checkEntry(
  entry: AuditEntry,
  previous: { seq: number; hash: string },
): { reason: AuditBreak; message: string } | undefined {
  const expectedSeq = previous.seq + 1;
  if (entry.seq !== expectedSeq) {
    const missing =
      entry.seq - expectedSeq === 1
        ? `entry ${expectedSeq} is`
        : `entries ${expectedSeq}–${entry.seq - 1} are`;
    return {
      reason: 'sequence-gap',
      message: `${missing} missing before entry ${entry.seq}: removed from the log`,
    };
  }
  if (hashAuditEntry(entry) !== entry.hash)
    return {
      reason: 'hash-mismatch',
      message: `entry ${entry.seq} does not match its hash: its content was changed after it was written`,
    };
  if (entry.prevHash !== previous.hash)
    return {
      reason: 'chain-broken',
      message:
        entry.seq === 1
          ? 'entry 1 does not start the chain: entries before it were removed, or it was replaced'
          : `entry ${entry.seq} does not follow entry ${previous.seq}: entry ${previous.seq} was changed and re-hashed, or entries were inserted or reordered`,
    };
  return undefined;
}

function checkAnchor(
  entry: AuditEntry,
  anchor: { seq: number; hash: string } | undefined,
): { reason: AuditBreak; message: string } | undefined {
  if (!anchor || anchor.seq !== entry.seq || anchor.hash === entry.hash) return undefined;
  return {
    reason: 'anchor-mismatch',
    message: `entry ${entry.seq} is not the one recorded in the anchor: the log was rewritten up to it`,
  };
}

function headOf(previous: { seq: number; hash: string }): { seq: number; hash: string } | undefined {
  return previous.seq === 0 ? undefined : previous;
}
