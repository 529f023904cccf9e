import { type CycloneDxBom, type WriteSbomOptions, writeCycloneDx } from '../sbom/index.js';
import type { Finding } from '../vulndb/index.js';
import type { ImageScan } from '../scan-image.js';

/** A CycloneDX 1.6 `vulnerabilities[]` entry (the subset Airlock fills). */
export interface CycloneDxVulnerability {
  'bom-ref': string;
  id: string;
  source?: { name: string; url?: string };
  references?: { id: string; source: { name: string } }[];
  ratings: {
    source?: { name: string };
    score?: number;
    severity: string;
    method?: string;
    vector?: string;
  }[];
  description?: string;
  recommendation?: string;
  advisories?: { url: string }[];
  affects: { ref: string }[];
  analysis?: { state: string; justification?: string; detail?: string };
}

/**
 * The scan as one CycloneDX 1.6 document: the components of every platform's inventory (each
 * once) and a vulnerability entry per finding, pointing at the affected components; VEX
 * assessments become `analysis`.
 */
export function toCycloneDxWithVulnerabilities(
  scan: ImageScan,
  options: WriteSbomOptions,
): CycloneDxBom & { vulnerabilities: CycloneDxVulnerability[] } {
  const [first, ...others] = scan.platforms;
  if (!first) throw new Error('a scan has at least one platform');
  const bom = writeCycloneDx(first.inventory, options);
  const refs = new Set(bom.components.map((c) => c['bom-ref']));
  for (const platform of others) {
    for (const component of writeCycloneDx(platform.inventory, { toolVersion: options.toolVersion })
      .components) {
      if (!refs.has(component['bom-ref'])) {
        refs.add(component['bom-ref']);
        bom.components.push(component);
      }
    }
  }
  const byPurl = new Map<string, string[]>();
  for (const component of bom.components) {
    if (!component.purl || !component['bom-ref']) continue;
    const key = bare(component.purl);
    byPurl.set(key, [...(byPurl.get(key) ?? []), component['bom-ref']]);
  }
  const vulnerabilities = new Map<string, CycloneDxVulnerability>();
  for (const finding of scan.platforms.flatMap((p) => p.findings)) {
    const affected = finding.package.purl ? (byPurl.get(bare(finding.package.purl)) ?? []) : [];
    const existing = vulnerabilities.get(finding.id);
    if (existing) {
      for (const ref of affected)
        if (!existing.affects.some((a) => a.ref === ref)) existing.affects.push({ ref });
      continue;
    }
    vulnerabilities.set(finding.id, vulnerability(finding, affected));
  }
  return { ...bom, vulnerabilities: [...vulnerabilities.values()] };
}

function vulnerability(finding: Finding, affected: string[]): CycloneDxVulnerability {
  const rating: CycloneDxVulnerability['ratings'][number] = {
    severity: finding.severity.rating.toLowerCase(),
    source: { name: finding.severity.source },
  };
  if (finding.severity.score !== undefined) rating.score = finding.severity.score;
  if (finding.severity.vector) {
    rating.vector = finding.severity.vector;
    rating.method = finding.severity.vector.startsWith('CVSS:4')
      ? 'CVSSv4'
      : finding.severity.vector.startsWith('CVSS:3.1')
        ? 'CVSSv31'
        : 'CVSSv3';
  }
  const out: CycloneDxVulnerability = {
    'bom-ref': `vuln:${finding.id}`,
    id: finding.id,
    source: { name: finding.id.startsWith('CVE-') ? 'NVD' : 'OSV' },
    ratings: [rating],
    affects: affected.map((ref) => ({ ref })),
  };
  if (finding.aliases.length)
    out.references = finding.aliases.map((id) => ({
      id,
      source: { name: id.startsWith('CVE-') ? 'NVD' : 'OSV' },
    }));
  if (finding.summary) out.description = finding.summary;
  if (finding.fixedVersions.length)
    out.recommendation = `Upgrade ${finding.package.name} to ${finding.fixedVersions.join(' or ')}`;
  if (finding.urls.length) out.advisories = finding.urls.map((url) => ({ url }));
  if (finding.vex) out.analysis = analysis(finding);
  return out;
}

/** OpenVEX status → CycloneDX impact-analysis state. */
function analysis(finding: Finding): NonNullable<CycloneDxVulnerability['analysis']> {
  const vex = finding.vex!;
  const state = {
    not_affected: 'not_affected',
    fixed: 'resolved',
    affected: 'exploitable',
    under_investigation: 'in_triage',
  }[vex.status];
  const out: NonNullable<CycloneDxVulnerability['analysis']> = { state };
  const justification = vex.justification ? JUSTIFICATIONS[vex.justification] : undefined;
  if (justification) out.justification = justification;
  if (vex.impactStatement) out.detail = vex.impactStatement;
  return out;
}

const JUSTIFICATIONS: Record<string, string> = {
  component_not_present: 'code_not_present',
  vulnerable_code_not_present: 'code_not_present',
  vulnerable_code_not_in_execute_path: 'code_not_reachable',
  vulnerable_code_cannot_be_controlled_by_adversary: 'protected_by_mitigating_control',
  inline_mitigations_already_exist: 'protected_by_mitigating_control',
};

function bare(purl: string): string {
  return purl.split('?')[0]!.split('#')[0]!;
}
