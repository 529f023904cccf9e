import type { Inventory, ScanNotice } from '../inventory/types.js';
import type { SbomOrigin } from './sbom-candidate-reader.js';
import { SbomNotice } from './notice-codes.js';
import type { ParsedSbom } from './types.js';

export interface InventoryFromSbomOptions {
  /** Digest of the platform manifest the SBOM stands for. */
  manifestDigest: string;
  platform?: Inventory['platform'];
  /** Where the SBOM was found, recorded as a notice. */
  origin?: SbomOrigin;
}

/** An attached SBOM as the inventory of a platform, used instead of reading its layers. */
export function inventoryFromSbom(sbom: ParsedSbom, options: InventoryFromSbomOptions): Inventory {
  const notices: ScanNotice[] = [];
  if (options.origin) notices.push(originNotice(sbom, options.origin));
  notices.push(...sbom.notices);
  const inventory: Inventory = {
    manifestDigest: options.manifestDigest,
    packages: sbom.packages,
    notices,
    source: 'sbom',
  };
  if (options.platform) inventory.platform = options.platform;
  if (sbom.os) inventory.os = sbom.os;
  return inventory;
}

function originNotice(sbom: ParsedSbom, origin: SbomOrigin): ScanNotice {
  const by = sbom.tools.length > 0 ? ` made by ${sbom.tools.join(', ')}` : '';
  const wrapped =
    origin.envelope === 'none'
      ? ''
      : ` (${origin.envelope}${origin.predicateType ? `, ${origin.predicateType}` : ''})`;
  return {
    level: 'info',
    code: SbomNotice.Used,
    message: `packages taken from the ${sbom.format} ${sbom.specVersion} SBOM${by} in ${origin.via} ${origin.manifest.digest}${wrapped}, not from the image layers`,
  };
}
