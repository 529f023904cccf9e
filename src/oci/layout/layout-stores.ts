import { resolve } from 'node:path';
import { OciLayoutStore, type OpenLayoutOptions } from './layout-store.js';

/**
 * The layouts one operation has open, each directory once. Two stores over one directory
 * would each keep index.json in memory and rewrite it, losing each other's tags; one store
 * serialises its index updates.
 */
export class LayoutStores {
  private readonly opened = new Map<string, Promise<OciLayoutStore>>();

  open(directory: string, options: OpenLayoutOptions = {}): Promise<OciLayoutStore> {
    const key = resolve(directory);
    let store = this.opened.get(key);
    if (!store) {
      store = OciLayoutStore.open(key, options);
      // A failed open (no layout there yet) must not stop a later caller that creates it.
      store.catch(() => this.opened.delete(key));
      this.opened.set(key, store);
    }
    return store;
  }
}
