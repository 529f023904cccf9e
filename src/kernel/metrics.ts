import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Prometheus metrics one Airlock process exposes at `GET /metrics`: the Node.js process
 * metrics, the HTTP API's, and counters the engine increments. One registry per process,
 * created by the composition root and handed to whoever records — no global registry, so tests
 * and several servers in one process do not share counts.
 *
 * Label values are bounded sets (route patterns, workflow names, action names, statuses),
 * never ids, so that series stay few.
 */
export interface Metrics {
  readonly registry: Registry;
  /** API requests by method, route pattern (`/api/runs/:id`) and status code. */
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  /** Refused API requests: `missing`, `unknown`, `expired`, `revoked` (401) and `forbidden` (403). */
  readonly authFailures: Counter<'reason'>;
  /** Audit entries that could not be written (the operation itself had succeeded). */
  readonly auditAppendFailures: Counter<'action'>;
  /** Registry events received, by source and outcome (`accepted`, `duplicate`, `rejected`). */
  readonly eventsReceived: Counter<'source' | 'outcome'>;
  readonly runsStarted: Counter<'workflow' | 'trigger'>;
  readonly runsFinished: Counter<'workflow' | 'status'>;
  readonly stepsFinished: Counter<'action' | 'status'>;
  /** Time from a step becoming runnable to a worker starting it. */
  readonly stepDispatchSeconds: Histogram<'queue'>;
  readonly stepDurationSeconds: Histogram<'action'>;
}

export interface CreateMetricsOptions {
  /** Node.js process metrics (CPU, memory, event loop lag, GC). Default true. */
  processMetrics?: boolean;
}

/** API latencies: sub-millisecond reads to multi-second applies. */
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Dispatch latency targets are tens of milliseconds; queues under rate limits wait minutes. */
const DISPATCH_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 120, 600];
/** Steps run from milliseconds (no-ops) to hours (mirroring hundreds of tags). */
const STEP_BUCKETS = [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 14400];

export function createMetrics(options: CreateMetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'airlock_http_request_duration_seconds',
      help: 'HTTP API request duration by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
    }),
    authFailures: new Counter({
      name: 'airlock_api_auth_failures_total',
      help: 'API requests refused for authentication (missing, unknown, expired, revoked) or permission (forbidden)',
      labelNames: ['reason'],
      registers,
    }),
    auditAppendFailures: new Counter({
      name: 'airlock_audit_append_failures_total',
      help: 'Audit entries that could not be written, by action',
      labelNames: ['action'],
      registers,
    }),
    eventsReceived: new Counter({
      name: 'airlock_events_received_total',
      help: 'Registry events received by the webhook receivers, by source and outcome',
      labelNames: ['source', 'outcome'],
      registers,
    }),
    runsStarted: new Counter({
      name: 'airlock_runs_started_total',
      help: 'Workflow runs started, by workflow and trigger type',
      labelNames: ['workflow', 'trigger'],
      registers,
    }),
    runsFinished: new Counter({
      name: 'airlock_runs_finished_total',
      help: 'Workflow runs finished, by workflow and final status',
      labelNames: ['workflow', 'status'],
      registers,
    }),
    stepsFinished: new Counter({
      name: 'airlock_steps_finished_total',
      help: 'Step executions finished, by action and status',
      labelNames: ['action', 'status'],
      registers,
    }),
    stepDispatchSeconds: new Histogram({
      name: 'airlock_step_dispatch_seconds',
      help: 'Time from a step becoming runnable to a worker starting it, by queue',
      labelNames: ['queue'],
      buckets: DISPATCH_BUCKETS,
      registers,
    }),
    stepDurationSeconds: new Histogram({
      name: 'airlock_step_duration_seconds',
      help: 'Step execution time, by action',
      labelNames: ['action'],
      buckets: STEP_BUCKETS,
      registers,
    }),
  };
}
