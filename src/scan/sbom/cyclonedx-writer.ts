import type { Inventory, OsInfo, Package } from '../inventory/types.js';
import { toCycloneDxLicenses } from './cyclonedx-licenses.js';
import {
  AirlockProperty,
  CYCLONEDX_SCHEMA_URL,
  type CycloneDxBom,
  type CycloneDxComponent,
  type CycloneDxProperty,
} from './cyclonedx-model.js';
import { documentBasics, formatTimestamp, uniqueIds, type DocumentBasics } from './document-basics.js';
import { completePurl } from './package-purl.js';
import type { WriteSbomOptions } from './types.js';

/**
 * An inventory as a CycloneDX 1.6 BOM (JSON). The image is `metadata.component` (type
 * `container`, version = the platform manifest digest, purl `pkg:oci/…`); the operating
 * system is an `operating-system` component; every package is a `library` with its purl,
 * licences, and the files it was read from as `evidence.occurrences`. Equal inventories and
 * options give equal documents: components are sorted, and time and serial number are
 * injectable.
 */
export function writeCycloneDx(inventory: Inventory, options: WriteSbomOptions): CycloneDxBom {
  const basics = documentBasics(inventory, options);
  const unique = uniqueIds();
  const image = imageComponent(basics, unique(basics.imagePurl));
  const components: CycloneDxComponent[] = [];
  if (inventory.os) components.push(osComponent(inventory.os, unique));
  for (const pkg of basics.packages) components.push(packageComponent(pkg, unique));
  return {
    $schema: CYCLONEDX_SCHEMA_URL,
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${basics.uuid}`,
    version: 1,
    metadata: {
      timestamp: formatTimestamp(basics.created),
      // Read from the built image, after the build: CycloneDX 1.6 lifecycle phase "post-build".
      lifecycles: [{ phase: 'post-build' }],
      tools: { components: [{ type: 'application', name: 'airlock', version: basics.toolVersion }] },
      component: image,
    },
    components,
  };
}

function imageComponent(basics: DocumentBasics, ref: string): CycloneDxComponent {
  const component: CycloneDxComponent = {
    'bom-ref': ref,
    type: 'container',
    name: basics.imageName,
    version: basics.imageDigest,
    purl: basics.imagePurl,
  };
  if (basics.platform)
    component.properties = [{ name: AirlockProperty.ImagePlatform, value: basics.platform }];
  return component;
}

function osComponent(os: OsInfo, unique: (id: string) => string): CycloneDxComponent {
  const component: CycloneDxComponent = {
    'bom-ref': unique(os.versionId ? `os:${os.id}@${os.versionId}` : `os:${os.id}`),
    type: 'operating-system',
    name: os.id,
  };
  if (os.versionId) component.version = os.versionId;
  if (os.prettyName) component.description = os.prettyName;
  const properties: CycloneDxProperty[] = [];
  if (os.idLike.length > 0) properties.push({ name: AirlockProperty.OsIdLike, value: os.idLike.join(' ') });
  if (os.versionCodename)
    properties.push({ name: AirlockProperty.OsVersionCodename, value: os.versionCodename });
  if (os.distroless) properties.push({ name: AirlockProperty.OsDistroless, value: 'true' });
  if (properties.length > 0) component.properties = properties;
  return component;
}

function packageComponent(pkg: Package, unique: (id: string) => string): CycloneDxComponent {
  const purl = completePurl(pkg);
  const component: CycloneDxComponent = { 'bom-ref': unique(purl), type: 'library', name: pkg.name };
  if (pkg.version) component.version = pkg.version;
  const licenses = toCycloneDxLicenses(pkg.licenses);
  if (licenses) component.licenses = licenses;
  component.purl = purl;
  if (pkg.locations.length > 0) {
    component.evidence = { occurrences: [...new Set(pkg.locations)].map((location) => ({ location })) };
  }
  const properties = packageProperties(pkg);
  if (properties.length > 0) component.properties = properties;
  return component;
}

function packageProperties(pkg: Package): CycloneDxProperty[] {
  const properties: CycloneDxProperty[] = [];
  if (pkg.source) {
    properties.push({ name: AirlockProperty.SourceName, value: pkg.source.name });
    if (pkg.source.version)
      properties.push({ name: AirlockProperty.SourceVersion, value: pkg.source.version });
  }
  if (pkg.architecture) properties.push({ name: AirlockProperty.Architecture, value: pkg.architecture });
  if (pkg.foundIn) properties.push({ name: AirlockProperty.FoundIn, value: pkg.foundIn });
  return properties;
}
