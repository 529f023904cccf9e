import type { ScanNotice } from '../inventory/types.js';
import { SbomNotice } from './notice-codes.js';

const EXAMPLES_PER_REASON = 5;

/**
 * Collects the entries of an SBOM that are not packages Airlock can match (no purl, an
 * ecosystem it does not inventory, a malformed purl) and reports them as one notice per
 * reason with a count and a few names, rather than one line per component.
 */
export class SkippedComponents {
  private readonly byReason = new Map<string, { count: number; examples: string[] }>();

  add(reason: string, name: string): void {
    const entry = this.byReason.get(reason) ?? { count: 0, examples: [] };
    entry.count += 1;
    if (entry.examples.length < EXAMPLES_PER_REASON) entry.examples.push(name);
    this.byReason.set(reason, entry);
  }

  notices(document: string): ScanNotice[] {
    return [...this.byReason].map(([reason, { count, examples }]) => {
      const more = count > examples.length ? `, and ${count - examples.length} more` : '';
      return {
        level: 'info',
        code: SbomNotice.ComponentSkipped,
        message: `${document}: skipped ${count} ${count === 1 ? 'entry' : 'entries'} (${reason}): ${examples.join(', ')}${more}`,
      };
    });
  }
}
