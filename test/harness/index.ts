export {
  hasTool,
  missingTools,
  requireTools,
  decideToolRequirement,
  TOOL_PACKAGES,
  type SuiteFunction,
  type ToolDecision,
} from './tools.js';
export { onProcessExit, makeTempDir, type TempDir } from './cleanup.js';
export { findFreePort, listenOnLoopback, waitForHttp, LOOPBACK, type WaitForHttpOptions } from './network.js';
export {
  startDockerRegistry,
  type DockerRegistry,
  type DockerRegistryAuth,
  type StartDockerRegistryOptions,
} from './docker-registry.js';
export { makeHtpasswd } from './htpasswd.js';
export {
  startTokenServer,
  type StartTokenServerOptions,
  type TokenRequestRecord,
  type TokenServer,
} from './token/token-server.js';
export type { TokenServerBehaviour, TokenUser } from './token/token-issuer.js';
export type { AccessRule } from './token/access.js';
export { decodeRegistryToken, type RegistryTokenClaims, type TokenAccess } from './token/jwt.js';
export { startTokenAuthRegistry, type TokenAuthRegistry } from './token/token-auth-registry.js';
export {
  startFaultProxy,
  type FaultProxy,
  type ProxyRequestRecord,
  type StartFaultProxyOptions,
} from './fault-proxy/fault-proxy.js';
export {
  Fault,
  type FaultAction,
  type FaultKind,
  type FaultRule,
  type RuleMatch,
} from './fault-proxy/faults.js';
export {
  skopeoCopy,
  skopeoInspect,
  skopeoInspectRaw,
  skopeoListTags,
  skopeoInvocation,
  SkopeoError,
  type SkopeoCopyOptions,
  type SkopeoCredentials,
  type SkopeoInspectOptions,
  type SkopeoInspectResult,
  type SkopeoRunOptions,
} from './skopeo.js';
export {
  createMigratedTestDatabase,
  createTestDatabase,
  type MigratedTestDatabase,
  type TestDatabase,
} from './postgres.js';
export {
  startAirlockRegistry,
  startAirlockRegistryProcess,
  openAirlockRegistryStorage,
  type AirlockRegistry,
  type AirlockRegistryProcess,
  type StartAirlockRegistryOptions,
  type StartAirlockRegistryProcessOptions,
} from './airlock-registry.js';
export { startWorker, type WorkerProcess, type StartWorkerOptions } from './airlock-worker.js';
