import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { findFreePort } from '../../../test/harness/index.js';
import { ActionFailure } from '../../engine/actions/contract.js';
import { createTestContext } from '../../engine/actions/testing/context.js';
import { AppError } from '../../kernel/index.js';
import { type TestEndpoint, json, startTestEndpoint } from '../support/testing/endpoint.js';
import { type WebhookInput, webhookAction } from './webhook-action.js';

const KEY = 'hmac-key-0123456789';

let endpoint: TestEndpoint;

beforeAll(async () => {
  endpoint = await startTestEndpoint();
});
beforeEach(() => void endpoint.requests.splice(0));
afterAll(() => endpoint?.stop());

function send(input: Record<string, unknown>, secrets: Record<string, string> = { hook: KEY }) {
  const test = createTestContext({ runId: 'run-7', stepId: 'notify', index: 2, secrets });
  return { test, result: webhookAction.run(input as WebhookInput, test.context) };
}

it('POSTs the payload as JSON, signed over the exact bytes, with a stable delivery id', async () => {
  endpoint.script(json(202, 'queued'));
  const payload = { event: 'image.promoted', digest: 'sha256:abc', tags: ['1.2'] };
  const { test, result } = send({
    url: `${endpoint.url}/hooks/airlock?channel=ops`,
    payload,
    headers: { 'X-Team': 'platform' },
    secret: 'hook',
  });
  expect(await result).toEqual({ status: 202, delivery: 'run-7/notify/2' });
  const [received] = endpoint.requests;
  expect(received).toMatchObject({ method: 'POST', path: '/hooks/airlock?channel=ops' });
  expect(JSON.parse(received!.body.toString())).toEqual(payload);
  expect(received!.headers['content-type']).toBe('application/json');
  expect(received!.headers['x-team']).toBe('platform');
  expect(received!.headers['x-airlock-delivery']).toBe('run-7/notify/2');
  const expected = `sha256=${createHmac('sha256', KEY).update(received!.body).digest('hex')}`;
  expect(received!.headers['x-airlock-signature']).toBe(expected);
  expect(test.logText()).not.toContain(KEY);
  expect(test.logText()).not.toContain('/hooks/airlock');
});

it('sends credentials of the URL as Basic authentication and never logs them', async () => {
  const url = endpoint.url.replace('http://', 'http://bot:s3cr3t-pw@');
  const { test, result } = send({ url: `${url}/h`, payload: {} });
  await result;
  expect(endpoint.requests[0]!.headers.authorization).toBe(
    `Basic ${Buffer.from('bot:s3cr3t-pw').toString('base64')}`,
  );
  expect(test.logText()).not.toContain('s3cr3t-pw');
});

it('fails retryably on 5xx and 429, carrying Retry-After, and shows only the origin', async () => {
  endpoint.script(json(503, { error: 'busy' }, { 'retry-after': '7' }));
  const failure = (await send({ url: `${endpoint.url}/services/T0/B0/XYZ`, payload: 1 }).result.catch(
    (e: unknown) => e,
  )) as ActionFailure;
  expect(failure).toBeInstanceOf(ActionFailure);
  expect(failure.retryable).toBe(true);
  expect(failure.details).toMatchObject({ code: 'ACTION_HTTP_STATUS', status: 503, retryAfterMs: 7000 });
  expect(failure.message).toBe(`POST ${endpoint.url}/… answered 503: {"error":"busy"}`);

  endpoint.script(json(429, ''));
  const limited = (await send({ url: endpoint.url, payload: 1 }).result.catch(
    (e: unknown) => e,
  )) as ActionFailure;
  expect(limited.retryable).toBe(true);
});

it('fails permanently on other 4xx, quoting the answer with the secret masked', async () => {
  endpoint.script(json(401, `bad signature for key ${KEY}`));
  const failure = (await send({ url: endpoint.url, payload: 1, secret: 'hook' }).result.catch(
    (e: unknown) => e,
  )) as ActionFailure;
  expect(failure.retryable).toBe(false);
  expect(failure.message).toBe(`POST ${endpoint.url}/… answered 401: bad signature for key ***`);
});

it('does not follow redirects', async () => {
  endpoint.script(json(302, '', { location: 'http://example.com/elsewhere' }));
  const failure = (await send({ url: endpoint.url, payload: 1 }).result.catch(
    (e: unknown) => e,
  )) as ActionFailure;
  expect(failure.retryable).toBe(false);
  expect(failure.message).toMatch(/answered 302 \(redirects are not followed/);
  expect(endpoint.requests).toHaveLength(1);
});

it('fails retryably when nothing listens', async () => {
  const port = await findFreePort();
  const failure = (await send({ url: `http://127.0.0.1:${port}/h`, payload: 1 }).result.catch(
    (e: unknown) => e,
  )) as ActionFailure;
  expect(failure).toBeInstanceOf(ActionFailure);
  expect(failure.retryable).toBe(true);
  expect(failure.details).toMatchObject({ code: 'ACTION_HTTP_UNREACHABLE', cause: 'ECONNREFUSED' });
});

it('fails permanently for a missing secret or a header the client owns, before sending anything', async () => {
  const missing = (await send({ url: endpoint.url, payload: 1, secret: 'nope' }, {}).result.catch(
    (e: unknown) => e,
  )) as ActionFailure;
  expect(missing.details.code).toBe('ACTION_SECRET_MISSING');
  expect(missing.message).toBe('secret: secret "nope" is not configured');
  await expect(
    send({ url: endpoint.url, payload: 1, headers: { 'Content-Length': '1' } }).result,
  ).rejects.toThrow(/Content-Length is set by the HTTP client/);
  await expect(send({ url: 'ftp://example.com/x', payload: 1 }).result).rejects.toThrow(
    /url: must be an http:\/\/ or https:\/\/ URL/,
  );
  await expect(send({ url: endpoint.url }).result).rejects.toThrow(/payload: is required/);
  expect(endpoint.requests).toHaveLength(0);
});

it('stops waiting when the step is cancelled', async () => {
  endpoint.script(() => new Promise<void>(() => {}));
  const { test, result } = send({ url: endpoint.url, payload: 1 });
  setTimeout(() => test.abort(new AppError('ABORTED', 'run cancelled')), 50);
  const error = await result.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).message).toBe('run cancelled');
});
