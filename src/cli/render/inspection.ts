import type { Inspection } from '../../app/inspect-service.js';
import { isIndexMediaType } from '../../oci/mediatype/index.js';
import { type Descriptor, formatPlatform } from '../../oci/manifest/index.js';
import { formatBytes } from './format.js';
import { formatTable } from './table.js';

/** A readable summary of a manifest and, for images, its config — like `docker image inspect`, shorter. */
export function formatInspection(inspection: Inspection): string {
  const { manifest } = inspection;
  const d = manifest.descriptor;
  const lines = [
    field('Reference', inspection.reference),
    field('Digest', d.digest),
    field('Media type', `${d.mediaType} (${kindLabel(manifest.kind, d)})`),
    field('Size', `${formatBytes(d.size)} (manifest)`),
  ];
  if (d.artifactType) lines.push(field('Artifact', d.artifactType));
  const subject = manifest.kind === 'index' ? manifest.index.subject : manifest.image.subject;
  if (subject) lines.push(field('Subject', subject.digest));
  if (manifest.kind === 'index') {
    lines.push('', `Manifests (${manifest.index.manifests.length})`);
    lines.push(
      indent(
        formatTable(['PLATFORM', 'DIGEST', 'SIZE', 'MEDIA TYPE'], manifest.index.manifests.map(entryRow)),
      ),
    );
  } else {
    const layers = manifest.image.layers;
    const total = layers.reduce((sum, l) => sum + l.size, 0);
    lines.push(
      field('Total size', `${formatBytes(total + manifest.image.config.size)} (${layers.length} layers)`),
    );
    if (inspection.config) lines.push('', 'Config', ...configLines(inspection));
    lines.push('', `Layers (${layers.length})`);
    lines.push(
      indent(
        formatTable(
          ['DIGEST', 'SIZE', 'MEDIA TYPE'],
          layers.map((l) => [l.digest, formatBytes(l.size), l.mediaType]),
        ),
      ),
    );
  }
  const annotations = d.annotations ?? {};
  if (Object.keys(annotations).length > 0) {
    lines.push('', 'Annotations');
    for (const [key, value] of Object.entries(annotations)) lines.push(`  ${key}: ${value}`);
  }
  return lines.join('\n');
}

function configLines(inspection: Inspection): string[] {
  const c = inspection.config!;
  const platform =
    c.os && c.architecture
      ? formatPlatform({
          os: c.os,
          architecture: c.architecture,
          ...(c.variant ? { variant: c.variant } : {}),
        })
      : undefined;
  const rows: [string, string | undefined][] = [
    ['Platform', platform],
    ['Created', c.created],
    ['Author', c.author],
    ['User', c.user],
    ['Entrypoint', c.entrypoint ? JSON.stringify(c.entrypoint) : undefined],
    ['Cmd', c.cmd ? JSON.stringify(c.cmd) : undefined],
    ['WorkingDir', c.workingDir],
    ['Ports', c.exposedPorts?.join(', ')],
    ['Env', c.env ? `${c.env.length} variables` : undefined],
    ['History', c.historyLength !== undefined ? `${c.historyLength} entries` : undefined],
  ];
  const out = rows.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `  ${k.padEnd(12)}${v}`);
  for (const [key, value] of Object.entries(c.labels ?? {})) out.push(`  Label       ${key}=${value}`);
  return out;
}

function entryRow(entry: Descriptor): string[] {
  const annotations = entry.annotations ?? {};
  const platform = entry.platform ? formatPlatform(entry.platform) : '-';
  const label =
    annotations['vnd.docker.reference.type'] === 'attestation-manifest'
      ? `${platform} (attestation)`
      : platform;
  return [label, entry.digest, formatBytes(entry.size), entry.mediaType];
}

function kindLabel(kind: 'index' | 'image', d: Descriptor): string {
  if (kind === 'index')
    return isIndexMediaType(d.mediaType) && d.mediaType.includes('docker') ? 'manifest list' : 'index';
  return d.artifactType ? 'artifact' : 'image';
}

function field(name: string, value: string): string {
  return `${name.padEnd(12)}${value}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
