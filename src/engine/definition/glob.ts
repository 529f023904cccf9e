/**
 * Glob patterns of registry triggers: `*` matches within one path segment, `**` across
 * segments (`quarantine/**` matches `quarantine/node` and `quarantine/library/node`), `?` one
 * character. Repository names are lower-case per the distribution spec v1.1 ("Pulling
 * manifests": `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/…)*`); tags are `[\w][\w.-]{0,127}`.
 */

/** JSON Schema patterns, so that editors flag bad characters. */
export const REPOSITORY_GLOB_PATTERN = '^[a-z0-9._*?/-]+$';
export const TAG_GLOB_PATTERN = '^[A-Za-z0-9_.*?-]{1,128}$';

/** Why a repository glob is unusable, or undefined. */
export function repositoryGlobProblem(pattern: string): string | undefined {
  if (!new RegExp(REPOSITORY_GLOB_PATTERN).test(pattern)) {
    return `"${pattern}" is not a repository pattern: use lower-case letters, digits, . _ - / and the wildcards *, ** and ?`;
  }
  if (pattern.startsWith('/') || pattern.endsWith('/') || pattern.includes('//')) {
    return `"${pattern}" has an empty path segment`;
  }
  if (/\*\*\*/.test(pattern) || /[^/]\*\*|\*\*[^/]/.test(pattern)) {
    return `"${pattern}" uses ** inside a segment: ** stands for whole segments, as in quarantine/**`;
  }
  return undefined;
}

/** Why a tag glob is unusable, or undefined. */
export function tagGlobProblem(pattern: string): string | undefined {
  if (new RegExp(TAG_GLOB_PATTERN).test(pattern)) return undefined;
  return `"${pattern}" is not a tag pattern: use letters, digits, _ . - and the wildcards * and ?`;
}

const compiled = new Map<string, RegExp>();

/** Whether `name` (a repository or tag) matches the glob. Patterns are validated on parse. */
export function matchesGlob(pattern: string, name: string): boolean {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    regex = globRegExp(pattern);
    if (compiled.size > 1_000) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex.test(name);
}

function globRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (pattern.startsWith('**/', i)) {
      source += '(?:[^/]+/)*';
      i += 2;
    } else if (pattern.startsWith('/**', i) && i + 3 === pattern.length) {
      source += '(?:/[^/]+)+';
      i += 2;
    } else if (pattern.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\-]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
