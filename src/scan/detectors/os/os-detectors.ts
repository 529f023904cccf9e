import type { Detector } from '../types.js';
import { apkDetector } from './apk.js';
import { dpkgDetector } from './dpkg.js';
import { osReleaseDetector } from './os-release.js';
import { rpmDetector } from './rpm.js';

/** The OS detectors with their default limits, os-release first. */
export const osDetectors: readonly Detector[] = [osReleaseDetector, dpkgDetector, apkDetector, rpmDetector];
