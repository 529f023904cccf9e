export { PostgresScanResultStore, type ListScanResultsOptions } from './scan-result-store.js';
export type {
  ScanResultHeader,
  ScanResultInput,
  ScanResultOrigin,
  ScanResultPlatformInput,
  StoredScanResult,
} from './types.js';
