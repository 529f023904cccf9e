export { formatScanTable } from './table.js';
export { toSarif, type SarifLog } from './sarif.js';
export { toCycloneDxWithVulnerabilities, type CycloneDxVulnerability } from './cyclonedx-vulnerabilities.js';
