import { isValidRepositoryPath, isValidTag, NAME_TOTAL_LENGTH_MAX } from '../oci/ref/index.js';

/**
 * Repository names and tags the registry accepts: the distribution-spec v1.1 grammar
 * ("Pulling manifests"), from the shared reference grammar.
 */
export const MAX_NAME_LENGTH = NAME_TOTAL_LENGTH_MAX;

export function isValidRepositoryName(name: string): boolean {
  return isValidRepositoryPath(name);
}

export { isValidTag };
