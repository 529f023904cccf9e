/**
 * The lexical grammar of image names, shared by the reference parser and the built-in
 * registry's name validation. It follows distribution/reference (reference.go) and the
 * OCI distribution-spec v1.1 "Pulling manifests" name grammar:
 *
 *   path-component := [a-z0-9]+ ( ( [._] | __ | -+ ) [a-z0-9]+ )*
 *   path           := path-component ( '/' path-component )*
 *   tag            := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
 *   domain-name    := domain-component ( '.' domain-component )*
 *   domain-component := [A-Za-z0-9] | [A-Za-z0-9] [A-Za-z0-9-]* [A-Za-z0-9]
 */

const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';

/** One `/`-separated component of a repository path. */
export const PATH_COMPONENT_PATTERN = new RegExp(`^${PATH_COMPONENT}$`);

/** A repository path (the name of distribution-spec v1.1, without the registry host). */
export const REPOSITORY_PATH_PATTERN = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);

/** A tag: at most 128 characters, not starting with `.` or `-` (distribution-spec v1.1). */
export const TAG_PATTERN = /^\w[\w.-]{0,127}$/;

/** A DNS label as distribution/reference accepts it (case-insensitive; normalised to lowercase later). */
export const DOMAIN_COMPONENT_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

/**
 * Longest registry-plus-path name Docker accepts (distribution/reference NameTotalLengthMax);
 * longer names are refused by Docker Hub and most registries, so we refuse them up front.
 */
export const NAME_TOTAL_LENGTH_MAX = 255;

export function isValidTag(tag: string): boolean {
  return TAG_PATTERN.test(tag);
}

/** Whether a repository path is valid and short enough to be served under any registry name. */
export function isValidRepositoryPath(path: string): boolean {
  return path.length <= NAME_TOTAL_LENGTH_MAX && REPOSITORY_PATH_PATTERN.test(path);
}

export const TAG_RULE = 'tags are up to 128 characters of [A-Za-z0-9_.-] and must not start with . or -';
export const PATH_COMPONENT_RULE =
  'path components are lowercase letters and digits, separated by ".", "_", "__" or one or more "-"';
