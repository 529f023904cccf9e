/** What `airlock db update` downloads unless told otherwise (kept apart: the CLI's help reads them at start). */
export { DETECTED_ECOSYSTEMS as DEFAULT_UPDATE_ECOSYSTEMS } from '../scan/vulndb/ecosystems.js';

export const DEFAULT_OSV_BASE_URL = 'https://osv-vulnerabilities.storage.googleapis.com';
