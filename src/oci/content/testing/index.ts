export {
  describeContentStoreConformance,
  type StoreUnderTest,
  type ContentStoreConformanceOptions,
} from './conformance.js';
export { rejectionOf, expectAppError, expectAborted } from './assertions.js';
export {
  seededBytes,
  blobFixture,
  imageFixture,
  indexFixture,
  referrerFixture,
  pushFixture,
  streamOf,
  readAll,
  collect,
  type BlobFixture,
  type ManifestFixture,
  type ImageFixtureOptions,
  type IndexFixtureOptions,
  type ReferrerFixtureOptions,
  type PushFixtureOptions,
} from './fixtures.js';
