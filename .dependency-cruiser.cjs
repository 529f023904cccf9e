/**
 * The architecture's dependency rules (docs/architecture.md), checked by `npm run lint`.
 * Areas import each other only in the directions listed here, and never in cycles.
 */
const area = (name) => `^src/${name}/`;

/** @type {import('dependency-cruiser').IDependencyCruiserConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'kernel-imports-nothing',
      comment: 'kernel is the base: errors, digests, logging, clock',
      severity: 'error',
      from: { path: area('kernel') },
      to: { path: '^src/', pathNot: area('kernel') },
    },
    {
      name: 'oci-imports-kernel-only',
      severity: 'error',
      from: { path: area('oci') },
      to: { path: '^src/', pathNot: [area('kernel'), area('oci')] },
    },
    {
      name: 'store-imports-oci-and-kernel',
      severity: 'error',
      from: { path: area('store') },
      to: { path: '^src/', pathNot: [area('kernel'), area('oci'), area('store')] },
    },
    {
      name: 'registry-never-imports-engine-api-cli-app',
      severity: 'error',
      from: { path: area('registry') },
      to: { path: [area('engine'), area('api'), area('cli'), area('app'), area('actions')] },
    },
    {
      name: 'pure-areas-stay-pure',
      comment: 'scan, trust and policy see oci types and read interfaces, not the network or the database',
      severity: 'error',
      from: { path: [area('scan'), area('trust'), area('policy')] },
      to: {
        path: [
          area('store'),
          area('registry'),
          area('engine'),
          area('api'),
          area('cli'),
          area('app'),
          area('actions'),
        ],
      },
    },
    {
      name: 'engine-never-imports-actions-api-cli-app',
      severity: 'error',
      from: { path: area('engine') },
      to: { path: [area('actions'), area('api'), area('cli'), area('app')] },
    },
    {
      name: 'cli-goes-through-app',
      comment: 'commands parse, call one service function in app/ (or the API client), and render',
      severity: 'error',
      from: { path: area('cli') },
      to: { path: [area('store'), area('registry'), area('engine'), area('actions')] },
    },
    {
      name: 'src-never-imports-tests',
      severity: 'error',
      from: { path: '^src/', pathNot: ['\\.test\\.ts$', '/testing/'] },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(\\.test\\.ts$|/testing/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
