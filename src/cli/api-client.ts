import { type Dispatcher, request } from '../kernel/http/index.js';
import type {
  ApplyResultBody,
  ApprovalBody,
  ApprovalListBody,
  AuditListBody,
  CreatedTokenBody,
  ApiTokenBody,
  LogLineBody,
  LogListBody,
  ProblemBody,
  RunDetailBody,
  RunListBody,
  RunSummaryBody,
  TokenListBody,
  WhoAmIBody,
  WorkflowListBody,
  WorkflowVersionBody,
  WorkflowVersionListBody,
} from '../api/index.js';
import { AppError, type ErrorCode, isAbortError, isErrorCode, redactUrl, sleep } from '../kernel/index.js';
import { readEvents } from './sse-reader.js';

export interface ApiClientOptions {
  /** Base URL of the Airlock API, e.g. `http://127.0.0.1:8080`. */
  server: string;
  /** An API token; never logged or printed. */
  token?: string;
  /** Time-out of each request that is not a stream. Default 30 s. */
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** What a followed log stream yields: lines, then the run's end. */
export type LogEvent =
  | { type: 'log'; line: LogLineBody }
  | { type: 'end'; status: string; error?: { code: string; message: string; step?: string } };

/** Long enough for an apply on a loaded server, short enough that a dead one is noticed. */
const DEFAULT_TIMEOUT_MS = 30_000;
/** Reconnections of a log stream that broke (the server restarted, a proxy cut it) before giving up. */
const MAX_RECONNECTS = 5;
/** Largest error body read: a problem is a few hundred bytes. */
const MAX_ERROR_BODY = 64 * 1024;

/**
 * The HTTP API from the command line: one method per operation, problem+json answers turned
 * into AppErrors with the server's error code (so exit codes follow it), and run logs followed
 * over Server-Sent Events with reconnection from the last line seen.
 */
export class ApiClient {
  private readonly base: URL;

  constructor(private readonly options: ApiClientOptions) {
    this.base = parseServer(options.server);
  }

  applyWorkflow(
    source: string,
    file: string | undefined,
    options: CallOptions = {},
  ): Promise<ApplyResultBody> {
    return this.call('POST', '/api/workflows', { ...options, json: { source, ...(file ? { file } : {}) } });
  }

  listWorkflows(options: CallOptions = {}): Promise<WorkflowListBody> {
    return this.call('GET', '/api/workflows', options);
  }

  getWorkflow(name: string, version?: number, options: CallOptions = {}): Promise<WorkflowVersionBody> {
    const path = `/api/workflows/${enc(name)}${version === undefined ? '' : `/versions/${version}`}`;
    return this.call('GET', path, options);
  }

  listWorkflowVersions(name: string, options: CallOptions = {}): Promise<WorkflowVersionListBody> {
    return this.call('GET', `/api/workflows/${enc(name)}/versions`, options);
  }

  startRun(
    body: { workflow: string; inputs?: Record<string, unknown>; version?: number; idempotencyKey?: string },
    options: CallOptions = {},
  ): Promise<RunSummaryBody> {
    return this.call('POST', '/api/runs', { ...options, json: body });
  }

  listRuns(
    query: { workflow?: string; status?: string; limit?: number; before?: string },
    options: CallOptions = {},
  ): Promise<RunListBody> {
    return this.call('GET', '/api/runs', { ...options, query });
  }

  getRun(id: string, options: CallOptions = {}): Promise<RunDetailBody> {
    return this.call('GET', `/api/runs/${enc(id)}`, options);
  }

  cancelRun(id: string, options: CallOptions = {}): Promise<RunSummaryBody> {
    return this.call('POST', `/api/runs/${enc(id)}/cancel`, options);
  }

  retryRun(id: string, options: CallOptions = {}): Promise<RunSummaryBody> {
    return this.call('POST', `/api/runs/${enc(id)}/retry`, options);
  }

  runLogs(
    id: string,
    query: { step?: string; after?: number } = {},
    options: CallOptions = {},
  ): Promise<LogListBody> {
    return this.call('GET', `/api/runs/${enc(id)}/logs`, { ...options, query });
  }

  listApprovals(
    query: { status?: string; run?: string } = {},
    options: CallOptions = {},
  ): Promise<ApprovalListBody> {
    return this.call('GET', '/api/approvals', { ...options, query });
  }

  decide(
    runId: string,
    decision: 'approve' | 'deny',
    body: { step?: string; reason: string },
    options: CallOptions = {},
  ): Promise<ApprovalBody> {
    return this.call('POST', `/api/runs/${enc(runId)}/${decision}`, { ...options, json: body });
  }

  createToken(
    body: { subject: string; roles: string[]; expiresIn?: string; description?: string },
    options: CallOptions = {},
  ): Promise<CreatedTokenBody> {
    return this.call('POST', '/api/tokens', { ...options, json: body });
  }

  listTokens(all: boolean, options: CallOptions = {}): Promise<TokenListBody> {
    return this.call('GET', '/api/tokens', { ...options, query: { all: String(all) } });
  }

  revokeToken(id: string, options: CallOptions = {}): Promise<ApiTokenBody> {
    return this.call('DELETE', `/api/tokens/${enc(id)}`, options);
  }

  whoAmI(options: CallOptions = {}): Promise<WhoAmIBody> {
    return this.call('GET', '/api/whoami', options);
  }

  listAudit(
    query: { actor?: string; action?: string; target?: string; before?: number; limit?: number },
    options: CallOptions = {},
  ): Promise<AuditListBody> {
    return this.call('GET', '/api/audit', { ...options, query });
  }

  /**
   * A run's log as it is written, then its end. A stream that breaks is reopened from the last
   * line seen (`Last-Event-ID`), a few times, so that a server restart does not end a `--follow`.
   */
  async *followLogs(
    id: string,
    options: CallOptions & { step?: string; after?: number } = {},
  ): AsyncIterable<LogEvent> {
    let after = options.after ?? 0;
    let failures = 0;
    for (;;) {
      try {
        for await (const event of this.openLogStream(id, after, options)) {
          failures = 0;
          if (event.type === 'log') after = event.line.seq;
          yield event;
          if (event.type === 'end') return;
        }
        throw new AppError('API_UNREACHABLE', 'the log stream ended before the run did');
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'API_UNREACHABLE' || ++failures > MAX_RECONNECTS)
          throw error;
        await sleep(Math.min(1000 * 2 ** (failures - 1), 10_000), options.signal);
      }
    }
  }

  private async *openLogStream(
    id: string,
    after: number,
    options: CallOptions & { step?: string },
  ): AsyncIterable<LogEvent> {
    const url = this.url(`/api/runs/${enc(id)}/logs/stream`, { step: options.step });
    const headers = { ...this.headers(), accept: 'text/event-stream', 'last-event-id': String(after) };
    const response = await this.send(url, { method: 'GET', headers, signal: options.signal });
    if (response.statusCode !== 200) throw this.withHint(await problemError(response, url));
    try {
      for await (const event of readEvents(response.body)) {
        if (event.event === 'log') yield { type: 'log', line: JSON.parse(event.data) as LogLineBody };
        else if (event.event === 'end')
          yield { type: 'end', ...(JSON.parse(event.data) as { status: string }) };
        else if (event.event === 'error') throw toProblemError(JSON.parse(event.data) as ProblemBody);
      }
    } catch (error) {
      if (error instanceof AppError || isAbortError(error) || options.signal?.aborted) throw error;
      throw new AppError(
        'API_UNREACHABLE',
        `the log stream from ${redactUrl(url)} broke: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }

  private async call<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    options: CallOptions & { json?: unknown; query?: Record<string, string | number | undefined> },
  ): Promise<T> {
    const url = this.url(path, options.query ?? {});
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const headers: Record<string, string> = { ...this.headers(), accept: 'application/json' };
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    const body = options.json === undefined ? undefined : JSON.stringify(options.json);
    const response = await this.send(url, { method, headers, body, signal });
    if (response.statusCode >= 400) throw this.withHint(await problemError(response, url));
    try {
      return (await response.body.json()) as T;
    } catch (error) {
      throw new AppError(
        'API_RESPONSE_INVALID',
        `${redactUrl(url)} answered ${response.statusCode} without JSON`,
        {
          cause: error,
        },
      );
    }
  }

  private async send(url: URL, init: SendInit): Promise<Dispatcher.ResponseData> {
    try {
      return await request(url, { ...init, dispatcher: this.options.dispatcher });
    } catch (error) {
      if (init.signal?.aborted) {
        const reason: unknown = init.signal.reason;
        if (reason instanceof DOMException && reason.name === 'TimeoutError')
          throw new AppError('API_UNREACHABLE', `${redactUrl(url)} did not answer in time`, { cause: error });
        throw new AppError('ABORTED', 'cancelled', { cause: error });
      }
      const code = (error as { code?: string }).code ?? (error as Error).message;
      throw new AppError(
        'API_UNREACHABLE',
        `cannot reach the Airlock API at ${redactUrl(this.base)} (${code}): is the server running? Set it with --server or AIRLOCK_SERVER`,
        { cause: error },
      );
    }
  }

  /** A 401 without any token configured is a setup problem: say how to configure one. */
  private withHint(error: AppError): AppError {
    if (this.options.token || error.code !== 'API_UNAUTHENTICATED') return error;
    return new AppError(error.code, `${error.message} (no token given: set AIRLOCK_TOKEN or --token)`, {
      details: error.details,
    });
  }

  private headers(): Record<string, string> {
    return this.options.token ? { authorization: `Bearer ${this.options.token}` } : {};
  }

  private url(path: string, query: Record<string, string | number | undefined>): URL {
    const url = new URL(path.slice(1), this.base);
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) url.searchParams.set(key, String(value));
    return url;
  }
}

interface SendInit {
  method: 'GET' | 'POST' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

function parseServer(server: string): URL {
  let url: URL;
  try {
    url = new URL(server.includes('://') ? server : `http://${server}`);
  } catch {
    throw new AppError(
      'USAGE_INVALID',
      `invalid server address "${server}": expected a URL such as http://127.0.0.1:8080`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new AppError(
      'USAGE_INVALID',
      `invalid server address "${server}": only http:// and https:// are supported`,
    );
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

/** The server's problem as an AppError carrying its code, so that exit codes follow the server's judgement. */
async function problemError(response: Dispatcher.ResponseData, url: URL): Promise<AppError> {
  const text = await readBounded(response.body);
  const type = String(response.headers['content-type'] ?? '');
  if (type.includes('json')) {
    try {
      return toProblemError(JSON.parse(text) as ProblemBody, response.statusCode);
    } catch {
      // fall through: not the JSON it claimed to be
    }
  }
  return new AppError(
    codeForStatus(response.statusCode),
    `${redactUrl(url)} answered ${response.statusCode}: ${text.slice(0, 200)}`,
  );
}

function toProblemError(problem: ProblemBody, status = problem.status): AppError {
  const code: ErrorCode = isErrorCode(problem.code) ? problem.code : codeForStatus(status);
  const errors = problem.errors ?? [];
  const lines = errors.map((e) => {
    const where = [e.file, e.line, e.column].filter((part) => part !== undefined).join(':');
    return `${where === '' ? '' : `${where}: `}${e.path === '' ? '' : `${e.path}: `}${e.message}`;
  });
  // With field errors, a headline that counts them, then one line each; else the server's detail.
  const file = errors.find((e) => e.file !== undefined)?.file;
  const count = `${errors.length} ${errors.length === 1 ? 'problem' : 'problems'}`;
  const headline =
    errors.length > 0 ? `${problem.title}${file ? ` in ${file}` : ''} (${count})` : problem.detail;
  const message = [headline, ...lines].join('\n');
  return new AppError(code, message, {
    details: { status, instance: problem.instance, problems: errors.map((e) => ({ ...e })) },
  });
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'API_UNAUTHENTICATED';
  if (status === 403) return 'API_FORBIDDEN';
  if (status === 404) return 'API_NOT_FOUND';
  if (status >= 400 && status < 500) return 'API_REQUEST_INVALID';
  return 'API_RESPONSE_INVALID';
}

async function readBounded(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > MAX_ERROR_BODY) {
      body.destroy();
      break;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
