import { cvss2BaseScore, parseCvss2 } from './cvss2.js';
import { cvss3BaseScore, parseCvss3 } from './cvss3.js';
import { cvss4Score, parseCvss4 } from './cvss4.js';
import type { CvssVersion } from './vector.js';

export type { CvssVersion } from './vector.js';

export type CvssScore = { ok: true; version: CvssVersion; score: number } | { ok: false; problem: string };

/**
 * The score of a CVSS vector of any version: v2 (`AV:N/AC:L/Au:N/…`), v3.0/v3.1
 * (`CVSS:3.1/…`, base score) or v4.0 (`CVSS:4.0/…`, with threat and environmental metrics
 * when present).
 */
export function scoreCvssVector(vector: string): CvssScore {
  const text = vector.trim();
  if (text.startsWith('CVSS:4.')) {
    const parsed = parseCvss4(text);
    return parsed.ok ? { ok: true, version: '4.0', score: cvss4Score(parsed.metrics) } : parsed;
  }
  if (text.startsWith('CVSS:3.')) {
    const parsed = parseCvss3(text);
    return parsed.ok
      ? { ok: true, version: parsed.metrics.version, score: cvss3BaseScore(parsed.metrics) }
      : parsed;
  }
  const parsed = parseCvss2(text);
  return parsed.ok ? { ok: true, version: '2.0', score: cvss2BaseScore(parsed.metrics) } : parsed;
}
