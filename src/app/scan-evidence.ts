import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Target } from '../oci/content/index.js';
import type { Descriptor } from '../oci/manifest/index.js';
import { formatRepository } from '../oci/ref/index.js';
import type { TargetSpec } from '../oci/ref/index.js';
import { type ScanRecord, buildVulnStatement, encodeVulnAttestation } from '../scan/report/index.js';
import { type AirlockSchema, PostgresScanResultStore } from '../store/index.js';
import { toScanResultInput } from './scan-result-rows.js';

/** Where a scan result went: the stored result's id, the attached attestation's manifest. */
export interface ScanEvidence {
  saved?: { id: string; storedAt: string };
  attached?: Descriptor;
}

/** Stores a scan record under its image digest (and its platform digests). */
export async function saveScanRecord(
  db: Kysely<AirlockSchema>,
  record: ScanRecord,
  signal?: AbortSignal,
): Promise<NonNullable<ScanEvidence['saved']>> {
  const saved = await new PostgresScanResultStore(db).save(toScanResultInput(record), { signal });
  return { id: saved.id, storedAt: saved.storedAt.toISOString() };
}

export interface AttachScanRecordOptions {
  /** The in-toto subject's name: the image's repository, or the layout directory. */
  subjectName: string;
  /** `org.opencontainers.image.created` of the artifact; default now. */
  created?: string;
  signal?: AbortSignal;
}

/**
 * Pushes the record next to the image as an unsigned in-toto vulnerability attestation whose
 * `subject` is the image's root manifest. The content store makes it discoverable: the
 * Referrers API where the registry has one, the tag-schema fallback index where not.
 */
export async function attachScanRecord(
  target: Target,
  record: ScanRecord,
  options: AttachScanRecordOptions,
): Promise<Descriptor> {
  const { signal } = options;
  const subject = await target.resolve(record.digest, { signal });
  const statement = buildVulnStatement(record, { subjectName: options.subjectName });
  const artifact = encodeVulnAttestation(statement, subject, {
    created: options.created ?? new Date().toISOString(),
  });
  for (const blob of artifact.blobs) {
    await target.pushBlob(blob.descriptor, Readable.from([Buffer.from(blob.bytes)]), { signal });
  }
  await target.pushManifest(artifact.manifest, { signal });
  return artifact.manifest.descriptor;
}

/** The in-toto subject name of an image location: its repository, or its layout directory. */
export function subjectNameOf(spec: TargetSpec): string {
  return spec.kind === 'remote' ? formatRepository(spec.reference) : spec.path;
}
