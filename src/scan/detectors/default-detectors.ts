import { createLanguageDetectors } from './lang/index.js';
import { osDetectors } from './os/index.js';
import type { Detector } from './types.js';

/** Every detector Airlock runs on an image's layers: OS package managers, then language ecosystems. */
export function defaultDetectors(): Detector[] {
  return [...osDetectors, ...createLanguageDetectors()];
}
