import type { Finding } from '../vulndb/index.js';
import type { ImageScan } from '../scan-image.js';

/** SARIF 2.1.0 (OASIS), as GitHub code scanning and other SARIF consumers read it. */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

interface SarifRun {
  tool: { driver: { name: string; version: string; informationUri: string; rules: SarifRule[] } };
  results: SarifResult[];
  properties: Record<string, unknown>;
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  helpUri?: string;
  help: { text: string };
  properties: { 'security-severity'?: string; tags: string[] };
}

interface SarifResult {
  ruleId: string;
  level: 'error' | 'warning' | 'note' | 'none';
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string } }; message: { text: string } }[];
  properties: Record<string, unknown>;
  suppressions?: { kind: 'external'; justification?: string }[];
}

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * Findings as SARIF: one rule per vulnerability (with `security-severity`, which GitHub uses
 * to rank), one result per vulnerable package per platform, located at the file the package
 * was read from (or the image reference). VEX-suppressed findings carry a suppression.
 */
export function toSarif(scan: ImageScan, options: { toolVersion: string }): SarifLog {
  const rules = new Map<string, SarifRule>();
  const results: SarifResult[] = [];
  for (const platform of scan.platforms) {
    const where = platform.inventory.platform
      ? [
          platform.inventory.platform.os,
          platform.inventory.platform.architecture,
          platform.inventory.platform.variant,
        ]
          .filter(Boolean)
          .join('/')
      : 'image';
    for (const finding of platform.findings) {
      if (!rules.has(finding.id)) rules.set(finding.id, rule(finding));
      results.push(result(finding, scan, where, platform.inventory.manifestDigest));
    }
  }
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'airlock',
            version: options.toolVersion,
            informationUri: 'https://github.com/airlock-dev/airlock',
            rules: [...rules.values()],
          },
        },
        results,
        properties: { imageReference: scan.reference, imageDigest: scan.digest, scannedAt: scan.scannedAt },
      },
    ],
  };
}

function rule(finding: Finding): SarifRule {
  const properties: SarifRule['properties'] = {
    tags: ['vulnerability', 'security', finding.severity.rating],
  };
  if (finding.severity.score !== undefined)
    properties['security-severity'] = finding.severity.score.toFixed(1);
  else properties['security-severity'] = FALLBACK_SCORES[finding.severity.rating] ?? '0.0';
  const text = finding.summary ?? `${finding.id} in ${finding.package.name}`;
  return {
    id: finding.id,
    name: finding.id.replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text },
    ...(finding.urls[0] ? { helpUri: finding.urls[0] } : {}),
    help: { text: `${text}\nAliases: ${finding.aliases.join(', ') || 'none'}` },
    properties,
  };
}

/** GitHub's bands: critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0, low > 0. */
const FALLBACK_SCORES: Record<string, string> = { CRITICAL: '9.5', HIGH: '7.5', MEDIUM: '5.5', LOW: '2.0' };

function result(finding: Finding, scan: ImageScan, platform: string, manifestDigest: string): SarifResult {
  const location = finding.package.locations?.[0]?.replace(/^\//, '') ?? scan.reference;
  const fixed = finding.fixedVersions.length
    ? `; fixed in ${finding.fixedVersions.join(', ')}`
    : '; no fix available';
  const out: SarifResult = {
    ruleId: finding.id,
    level: level(finding),
    message: {
      text: `${finding.package.name} ${finding.package.version} (${platform}) is affected by ${finding.id} (${finding.severity.rating})${fixed}`,
    },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: location } },
        message: { text: `${scan.reference} ${platform}` },
      },
    ],
    properties: {
      purl: finding.package.purl,
      platform,
      manifestDigest,
      fixedVersions: finding.fixedVersions,
      severity: finding.severity,
    },
  };
  if (finding.suppressed)
    out.suppressions = [
      {
        kind: 'external',
        ...(finding.vex?.justification ? { justification: finding.vex.justification } : {}),
      },
    ];
  return out;
}

function level(finding: Finding): SarifResult['level'] {
  switch (finding.severity.rating) {
    case 'CRITICAL':
    case 'HIGH':
      return 'error';
    case 'MEDIUM':
      return 'warning';
    case 'LOW':
      return 'note';
    default:
      return 'none';
  }
}
