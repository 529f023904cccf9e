export { selectTags, tagSelector, type TagFilter } from './tag-filter.js';
export { parseTagVersion, compareTagsDescending, type TagVersion } from './tag-version.js';
