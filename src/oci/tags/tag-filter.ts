import semver from 'semver';
import { AppError } from '../../kernel/index.js';
import { compareTagsDescending, parseTagVersion } from './tag-version.js';

export interface TagFilter {
  /** Keep tags matching any of these regular expressions (anchored by the user: `^3\.12`). */
  include?: string[];
  /** Then drop tags matching any of these. */
  exclude?: string[];
  /** Keep tags whose version satisfies this semver range (`>=22 <27`); tags without a version are dropped. */
  semver?: string;
  /** Whether `semver` ranges admit pre-releases (`3.13.0rc1`). Default false. */
  includePrerelease?: boolean;
  /** Then keep the newest N (by version, newest first). */
  latest?: number;
}

/**
 * Selects tags the way mirroring tools are configured (skopeo sync's regex, regsync's
 * semver and "latest N"): include → exclude → semver range → newest N. The result is in
 * the input order unless `latest` is set, in which case it is newest first.
 */
export function selectTags(tags: Iterable<string>, filter: TagFilter): string[] {
  return tagSelector(filter)(tags);
}

/**
 * {@link selectTags} with the filter checked and compiled once, for many tag lists: a bad
 * pattern or range fails here, before any tag is listed.
 */
export function tagSelector(filter: TagFilter): (tags: Iterable<string>) => string[] {
  const include = compile(filter.include, 'include');
  const exclude = compile(filter.exclude, 'exclude');
  let range: semver.Range | undefined;
  if (filter.semver !== undefined) {
    try {
      range = new semver.Range(filter.semver, { includePrerelease: filter.includePrerelease ?? false });
    } catch {
      throw new AppError(
        'USAGE_INVALID',
        `invalid semver range "${filter.semver}": expected e.g. ">=22 <27", "^3.12" or "~1.2"`,
      );
    }
  }
  if (filter.latest !== undefined && (!Number.isInteger(filter.latest) || filter.latest < 1)) {
    throw new AppError('USAGE_INVALID', `latest must be a positive integer, got ${filter.latest}`);
  }
  return (tags) => {
    const selected = [...tags].filter(
      (tag) =>
        (include.length === 0 || include.some((r) => r.test(tag))) &&
        !exclude.some((r) => r.test(tag)) &&
        (range === undefined || satisfies(tag, range, filter.includePrerelease ?? false)),
    );
    return filter.latest === undefined
      ? selected
      : selected.sort(compareTagsDescending).slice(0, filter.latest);
  };
}

function satisfies(tag: string, range: semver.Range, includePrerelease: boolean): boolean {
  const parsed = parseTagVersion(tag);
  return parsed !== undefined && semver.satisfies(parsed.version, range, { includePrerelease });
}

function compile(patterns: string[] | undefined, field: string): RegExp[] {
  return (patterns ?? []).map((pattern) => {
    try {
      return new RegExp(pattern);
    } catch (error) {
      throw new AppError(
        'USAGE_INVALID',
        `invalid ${field} pattern /${pattern}/: ${(error as Error).message}`,
      );
    }
  });
}
