import { isRecord, stringField, type JsonRecord } from '../sbom/json-value.js';

/**
 * In-toto statements as they are attached to images: the statement itself (BuildKit, Docker
 * Hardened Images), the statement in a DSSE envelope (cosign attest), or that envelope in a
 * Sigstore bundle (cosign 2.4+ referrers). Signatures are not verified here; that is the trust
 * area's job. SBOM and VEX discovery both read attachments through this.
 */

export type StatementEnvelope = 'in-toto' | 'dsse' | 'sigstore-bundle';

export type UnwrappedStatement =
  | {
      ok: true;
      statement: JsonRecord;
      envelope: StatementEnvelope;
      predicateType: string;
      predicate: unknown;
      /** `subject[].digest` as OCI digests (`sha256:<hex>`). */
      subjects: string[];
    }
  /** `foreign`: the content is another kind of artifact (a message signature, a non-in-toto DSSE payload). */
  | { ok: false; reason: string; foreign?: true };

/** in-toto Statement v0.1 and v1 (in-toto attestation framework, "Statement"). */
const STATEMENT_TYPE = /^https:\/\/in-toto\.io\/Statement\/v(0\.1|1)$/;
/** DSSE payloadType of in-toto statements (in-toto attestation framework, "Envelope"). */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/**
 * The in-toto statement inside `value`, or why there is none. Returns undefined when `value`
 * is none of the three wrappers at all (a plain document, for instance), so that callers can
 * try reading it as such.
 */
export function unwrapStatement(value: unknown): UnwrappedStatement | undefined {
  if (!isRecord(value)) return undefined;
  if (isRecord(value.dsseEnvelope)) return fromEnvelope(value.dsseEnvelope, 'sigstore-bundle');
  if (typeof value.payloadType === 'string' && typeof value.payload === 'string') {
    return fromEnvelope(value, 'dsse');
  }
  if (isStatement(value)) return fromStatement(value, 'in-toto');
  if (isRecord(value.messageSignature)) {
    return {
      ok: false,
      reason: 'a Sigstore bundle with a message signature, not an attestation',
      foreign: true,
    };
  }
  return undefined;
}

function isStatement(value: JsonRecord): boolean {
  return typeof value._type === 'string' && STATEMENT_TYPE.test(value._type);
}

function fromEnvelope(envelope: JsonRecord, kind: 'dsse' | 'sigstore-bundle'): UnwrappedStatement {
  const payloadType = stringField(envelope, 'payloadType');
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return {
      ok: false,
      reason: `DSSE payloadType ${JSON.stringify(payloadType)} is not ${IN_TOTO_PAYLOAD_TYPE}`,
      foreign: true,
    };
  }
  const payload = typeof envelope.payload === 'string' ? envelope.payload : '';
  let statement: unknown;
  try {
    // DSSE payloads are base64 (standard or URL-safe alphabet; Node's decoder takes both).
    statement = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `DSSE payload is not base64-encoded JSON: ${(error as Error).message}` };
  }
  if (!isRecord(statement) || !isStatement(statement)) {
    return { ok: false, reason: 'DSSE payload is not an in-toto statement' };
  }
  return fromStatement(statement, kind);
}

function fromStatement(statement: JsonRecord, envelope: StatementEnvelope): UnwrappedStatement {
  const predicateType = stringField(statement, 'predicateType');
  if (predicateType === undefined) return { ok: false, reason: 'in-toto statement has no predicateType' };
  return {
    ok: true,
    statement,
    envelope,
    predicateType,
    predicate: statement.predicate,
    subjects: subjectDigests(statement.subject),
  };
}

function subjectDigests(subject: unknown): string[] {
  if (!Array.isArray(subject)) return [];
  const digests: string[] = [];
  for (const entry of subject) {
    if (!isRecord(entry) || !isRecord(entry.digest)) continue;
    for (const [algorithm, hex] of Object.entries(entry.digest)) {
      if (typeof hex === 'string') digests.push(`${algorithm}:${hex.toLowerCase()}`);
    }
  }
  return digests;
}
