/** Airlock's version, shown by `--version` and written into SBOMs and reports. */
export const VERSION = '0.1.0';
