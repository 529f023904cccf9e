import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { ActionFailure } from '../../engine/actions/contract.js';
import { createTestContext } from '../../engine/actions/testing/context.js';
import { type TestEndpoint, json, startTestEndpoint } from '../support/testing/endpoint.js';
import { type HttpInput, MAX_RESPONSE_BYTES, httpAction } from './http-action.js';

const TOKEN = 'tok-abcdef-123456';

let endpoint: TestEndpoint;

beforeAll(async () => {
  endpoint = await startTestEndpoint();
});
beforeEach(() => void endpoint.requests.splice(0));
afterAll(() => endpoint?.stop());

function call(input: Record<string, unknown>) {
  const test = createTestContext({ secrets: { 'api-token': TOKEN, 'bad-token': 'x\r\ny' } });
  return { test, result: httpAction.run(input as HttpInput, test.context) };
}

async function failureOf(input: Record<string, unknown>): Promise<ActionFailure> {
  const error = await call(input).result.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ActionFailure);
  return error as ActionFailure;
}

it('sends the body as JSON with secret headers and returns the JSON answer as outputs', async () => {
  endpoint.script(json(200, { verdict: 'allow', score: 3 }));
  const { test, result } = call({
    url: `${endpoint.url}/decide`,
    body: { digest: 'sha256:abc' },
    headers: { 'X-Tenant': 'a' },
    secretHeaders: { Authorization: { secret: 'api-token', prefix: 'Bearer ' }, 'X-Api-Key': 'api-token' },
  });
  expect(await result).toEqual({ verdict: 'allow', score: 3 });
  const [received] = endpoint.requests;
  expect(received!.method).toBe('POST');
  expect(JSON.parse(received!.body.toString())).toEqual({ digest: 'sha256:abc' });
  expect(received!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  expect(received!.headers['x-api-key']).toBe(TOKEN);
  expect(received!.headers['x-tenant']).toBe('a');
  expect(test.logText()).not.toContain(TOKEN);
  expect(test.logs.find((r) => r.msg === 'endpoint answered')).toMatchObject({
    url: `${endpoint.url}/decide`,
    status: 200,
  });
});

it('masks a secret the endpoint echoes back', async () => {
  endpoint.script((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ seen: request.headers.authorization }));
  });
  const { result } = call({ url: endpoint.url, body: {}, secretHeaders: { Authorization: 'api-token' } });
  expect(await result).toEqual({ seen: '***' });
});

it('uses the given method and reads an empty answer as empty outputs', async () => {
  endpoint.script((_request, response) => void response.writeHead(204).end());
  expect(await call({ url: endpoint.url, method: 'PUT', body: [1] }).result).toEqual({});
  expect(endpoint.requests[0]!.method).toBe('PUT');
});

it('fails permanently on an answer that is not JSON, quoting its start', async () => {
  endpoint.script(json(200, '<html>login</html>'));
  const failure = await failureOf({ url: endpoint.url, body: {} });
  expect(failure.retryable).toBe(false);
  expect(failure.details.code).toBe('ACTION_OUTPUT_INVALID');
  expect(failure.message).toBe('the endpoint answered 200 with text/plain, not JSON: <html>login</html>');
});

it('refuses answers beyond 1 MiB, with or without Content-Length', async () => {
  const big = Buffer.alloc(MAX_RESPONSE_BYTES + 10, 0x20);
  endpoint.script(
    (_request, response) => void response.writeHead(200, { 'content-length': String(big.length) }).end(big),
    (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < 11; i++) response.write(Buffer.alloc(100 * 1024, 0x20));
      response.end('{}');
    },
  );
  for (let i = 0; i < 2; i++) {
    const failure = await failureOf({ url: endpoint.url, body: {} });
    expect(failure.details.code).toBe('ACTION_OUTPUT_TOO_LARGE');
    expect(failure.message).toMatch(/answered with more than 1048576 bytes/);
  }
});

it('tells retryable server errors from permanent client errors', async () => {
  endpoint.script(json(500, { error: 'db down' }), json(400, { error: `unknown field, token ${TOKEN}` }));
  const server = await failureOf({ url: `${endpoint.url}/x?sig=abc`, body: {} });
  expect(server.retryable).toBe(true);
  expect(server.message).toBe(`POST ${endpoint.url}/x answered 500: {"error":"db down"}`);
  const client = await failureOf({
    url: endpoint.url,
    body: {},
    secretHeaders: { Authorization: 'api-token' },
  });
  expect(client.retryable).toBe(false);
  expect(client.message).toContain('unknown field, token ***');
});

it('rejects a header given twice or a secret that cannot be a header value', async () => {
  const twice = await failureOf({
    url: endpoint.url,
    body: {},
    headers: { authorization: 'x' },
    secretHeaders: { Authorization: 'api-token' },
  });
  expect(twice.message).toBe('secretHeaders: Authorization is also given in headers; give it once');
  const broken = await failureOf({ url: endpoint.url, body: {}, secretHeaders: { 'X-Key': 'bad-token' } });
  expect(broken.message).toMatch(/secret "bad-token" contains a line break/);
  expect(endpoint.requests).toHaveLength(0);
});
