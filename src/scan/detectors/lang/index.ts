import type { Detector } from '../types.js';
import { createGoBinaryDetector } from './go/go-binary-detector.js';
import { type JavaDetectorOptions, createJavaDetector } from './java/java-detector.js';
import { createNpmDetector } from './npm/npm-detector.js';
import { createPythonDetector } from './python/python-detector.js';
import { createGemDetector } from './ruby/gem-detector.js';

export { createGoBinaryDetector } from './go/go-binary-detector.js';
export { probeGoBuildInfo, type GoBuildInfoProbeResult } from './go/buildinfo-probe.js';
export { parseModinfo, type GoBuildInfo, type GoModule } from './go/modinfo.js';
export { goPackages, toolchainSemver } from './go/go-packages.js';
export { createJavaDetector, type JavaDetectorOptions } from './java/java-detector.js';
export {
  scanJavaArchive,
  DEFAULT_JAVA_ARCHIVE_LIMITS,
  type JavaArchiveLimits,
  type JavaArchiveScan,
  type JavaArtifact,
} from './java/java-archive.js';
export { createNpmDetector } from './npm/npm-detector.js';
export { createPythonDetector } from './python/python-detector.js';
export { normalizePythonName } from './python/core-metadata.js';
export { createGemDetector } from './ruby/gem-detector.js';
export { LangNoticeCode } from './notice-codes.js';

export interface LanguageDetectorOptions {
  java?: JavaDetectorOptions;
}

/**
 * Every language-ecosystem detector. Their selections do not overlap in probes: the Go
 * detector leaves archives to the Java detector, and the others capture content.
 */
export function createLanguageDetectors(options: LanguageDetectorOptions = {}): Detector[] {
  return [
    createNpmDetector(),
    createPythonDetector(),
    createGoBinaryDetector(),
    createJavaDetector(options.java),
    createGemDetector(),
  ];
}
