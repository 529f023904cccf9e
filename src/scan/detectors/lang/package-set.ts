import type { Package } from '../../inventory/types.js';

/**
 * Packages keyed by purl: the same release installed in several places (npm's nested
 * `node_modules`, two virtualenvs) is one package with several locations, so that a
 * vulnerability is reported once per package and every copy to fix is listed.
 */
export class PackageSet {
  private readonly byPurl = new Map<string, Package>();

  add(pkg: Package): void {
    const existing = this.byPurl.get(pkg.purl);
    if (!existing) {
      this.byPurl.set(pkg.purl, { ...pkg, locations: [...pkg.locations] });
      return;
    }
    for (const location of pkg.locations)
      if (!existing.locations.includes(location)) existing.locations.push(location);
    if (pkg.licenses?.length) {
      const licenses = existing.licenses ?? [];
      for (const license of pkg.licenses) if (!licenses.includes(license)) licenses.push(license);
      existing.licenses = licenses;
    }
  }

  list(): Package[] {
    return [...this.byPurl.values()];
  }
}
