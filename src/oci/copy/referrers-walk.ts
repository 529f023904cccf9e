import { OciError } from '../../kernel/index.js';
import { cosignTags } from '../ref/index.js';
import type { Descriptor } from '../manifest/index.js';
import { type CopyJob, type GraphCopier, step } from './job.js';

/**
 * Copies the referrers of `subjects`, then their referrers (a signature of an SBOM),
 * breadth first. Besides OCI referrers (Referrers API or fallback tag), cosign's
 * tag-based attachments are copied under the same tags, since most signed images in
 * public registries still use them.
 */
export async function copyReferrers(
  copier: GraphCopier,
  job: CopyJob,
  subjects: Descriptor[],
): Promise<void> {
  const signal = job.options.signal;
  let level = subjects;
  const seen = new Set<string>();
  while (level.length > 0) {
    const next: Descriptor[] = [];
    await Promise.all(
      level.map(async (subject) => {
        if (seen.has(subject.digest)) return;
        seen.add(subject.digest);
        const referrers = await step('referrers', 'source', () =>
          job.source.listReferrers(subject, { signal }),
        );
        await Promise.all(
          referrers.map(async (referrer) => {
            const manifest = await step('fetch-manifest', 'source', () =>
              job.source.fetchManifest(referrer, { signal }),
            );
            if ((await copier.copyGraph(job, manifest)) === 'copied') job.stats.referrersCopied++;
            job.referrers.push({ subject: subject.digest, descriptor: referrer });
            next.push(referrer);
          }),
        );
        await copyCosignTags(copier, job, subject, next);
      }),
    );
    level = next;
  }
}

async function copyCosignTags(
  copier: GraphCopier,
  job: CopyJob,
  subject: Descriptor,
  next: Descriptor[],
): Promise<void> {
  const signal = job.options.signal;
  await Promise.all(
    cosignTags(subject.digest).map(async ({ tag }) => {
      let descriptor: Descriptor;
      try {
        descriptor = await job.source.resolve(tag, { signal });
      } catch (error) {
        if (
          error instanceof OciError &&
          (error.code === 'OCI_MANIFEST_UNKNOWN' || error.code === 'OCI_NAME_UNKNOWN')
        )
          return;
        throw error;
      }
      const manifest = await step('fetch-manifest', 'source', () =>
        job.source.fetchManifest(descriptor, { signal }),
      );
      if ((await copier.copyGraph(job, manifest, tag)) === 'copied') job.stats.referrersCopied++;
      job.referrers.push({ subject: subject.digest, descriptor: manifest.descriptor });
      next.push(manifest.descriptor);
    }),
  );
}
