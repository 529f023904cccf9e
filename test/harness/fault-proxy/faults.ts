import { AppError } from '../../../src/kernel/index.js';

/** What the proxy does instead of (or on top of) forwarding a request transparently. */
export type FaultAction =
  | { kind: 'status'; status: number; headers: Record<string, string>; body?: Uint8Array }
  | { kind: 'reset'; afterBytes?: number }
  | { kind: 'truncate'; afterBytes: number }
  | { kind: 'corrupt'; atByte?: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'rewrite-header'; name: string; value: string | null };

export type FaultKind = FaultAction['kind'];

/** Builders for the faults a real registry will not produce on demand. */
export const Fault = {
  /**
   * Answers without asking the registry, e.g. `Fault.status(429, { headers: { 'retry-after': '1' } })`.
   * An object body is sent as JSON.
   */
  status(
    status: number,
    options: { headers?: Record<string, string>; body?: string | Uint8Array | object } = {},
  ): FaultAction {
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new AppError('USAGE_INVALID', `Fault.status: ${status} is not an HTTP status`);
    }
    const headers = { ...options.headers };
    let body: Uint8Array | undefined;
    if (typeof options.body === 'string') body = Buffer.from(options.body);
    else if (options.body instanceof Uint8Array) body = options.body;
    else if (options.body !== undefined) {
      body = Buffer.from(JSON.stringify(options.body));
      headers['content-type'] ??= 'application/json';
    }
    return { kind: 'status', status, headers, body };
  },
  /**
   * Destroys the client's connection with a TCP reset: at once (no response at all) or, with
   * `afterBytes`, after the registry's headers and that many body bytes.
   */
  resetConnection(afterBytes?: number): FaultAction {
    if (afterBytes !== undefined) checkCount('resetConnection', afterBytes);
    return { kind: 'reset', afterBytes };
  },
  /** Sends the registry's headers, real `Content-Length` included, then closes after `afterBytes` body bytes. */
  truncateBody(afterBytes: number): FaultAction {
    checkCount('truncateBody', afterBytes);
    return { kind: 'truncate', afterBytes };
  },
  /** Flips every bit of one body byte (the middle one by default), keeping the length. */
  corruptBody(options: { atByte?: number } = {}): FaultAction {
    if (options.atByte !== undefined) checkCount('corruptBody', options.atByte);
    return { kind: 'corrupt', atByte: options.atByte };
  },
  /** Waits before forwarding the request. */
  delay(ms: number): FaultAction {
    checkCount('delay', ms);
    return { kind: 'delay', ms };
  },
  /** Replaces a response header (or removes it, with `null`) on the registry's answer. */
  rewriteHeader(name: string, value: string | null): FaultAction {
    return { kind: 'rewrite-header', name: name.toLowerCase(), value };
  },
};

export interface RuleMatch {
  /** HTTP method; any when absent. */
  method?: string;
  /** Tested against the request target: path and query, e.g. `/v2/app/blobs/sha256:…`. */
  path: RegExp;
  /** How many requests the rule applies to; defaults to 1, `Infinity` for all. */
  times?: number;
}

export interface FaultRule {
  readonly match: RuleMatch;
  readonly action: FaultAction;
  /** Requests the rule has been applied to. */
  readonly hits: number;
  readonly remaining: number;
}

class MutableRule implements FaultRule {
  hits = 0;
  constructor(
    readonly match: RuleMatch,
    readonly action: FaultAction,
  ) {}

  get remaining(): number {
    return (this.match.times ?? 1) - this.hits;
  }

  matches(method: string, target: string): boolean {
    if (this.remaining <= 0) return false;
    if (this.match.method !== undefined && this.match.method.toUpperCase() !== method.toUpperCase())
      return false;
    this.match.path.lastIndex = 0;
    return this.match.path.test(target);
  }
}

/** Rules in the order they were added; each request uses up the first one that matches. */
export class FaultRules {
  private readonly rules: MutableRule[] = [];

  add(match: RuleMatch, action: FaultAction): FaultRule {
    const times = match.times ?? 1;
    if (!(times === Infinity || (Number.isInteger(times) && times > 0))) {
      throw new AppError('USAGE_INVALID', `rule times must be a positive integer or Infinity, got ${times}`);
    }
    const rule = new MutableRule(match, action);
    this.rules.push(rule);
    return rule;
  }

  take(method: string, target: string): FaultRule | undefined {
    const rule = this.rules.find((candidate) => candidate.matches(method, target));
    if (rule) rule.hits++;
    return rule;
  }

  pending(): FaultRule[] {
    return this.rules.filter((rule) => rule.remaining > 0);
  }

  clear(): void {
    this.rules.splice(0);
  }
}

function checkCount(what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new AppError('USAGE_INVALID', `Fault.${what}: expected a non-negative integer, got ${value}`);
  }
}
