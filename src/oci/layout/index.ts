export { OciLayoutStore, type OpenLayoutOptions } from './layout-store.js';
export { REF_NAME_ANNOTATION } from './layout-index.js';
export { IMAGE_LAYOUT_VERSION } from './layout-files.js';
export { LayoutStores } from './layout-stores.js';
