import { z } from 'zod';
import type { ActionContext, ActionDefinition } from '../../engine/actions/contract.js';
import { defineAction } from '../support/define-action.js';
import { actionFailure, invalidInput } from '../support/failure.js';
import { type JsonReply, sendJson } from '../support/json-http.js';
import { headerNameField, headerValueField, httpUrlField, secretNameField } from '../support/schemas.js';
import { excerptOf, maskSecretsInValue, requireSecret } from '../support/secrets.js';

const secretHeader = z.union([
  secretNameField,
  z.strictObject({
    secret: secretNameField,
    /** Written before the secret's value, e.g. `Bearer `. */
    prefix: headerValueField.optional(),
  }),
]);

export const HttpInput = z.strictObject({
  url: httpUrlField.describe('the endpoint; credentials in the URL are sent as Basic authentication'),
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  body: z
    .unknown()
    .refine((value) => value !== undefined, 'is required')
    .describe('the JSON document to send'),
  headers: z.record(headerNameField, headerValueField).optional().describe('extra request headers'),
  secretHeaders: z
    .record(headerNameField, secretHeader)
    .optional()
    .describe(
      'headers whose values are secrets, by secret name: { Authorization: { secret: api-token, prefix: "Bearer " } }',
    ),
});
export type HttpInput = z.infer<typeof HttpInput>;

/** The endpoint's JSON answer is the step's outputs; an empty answer (204) is `{}`. */
export const HttpOutput = z.unknown();
export type HttpOutput = unknown;

/** 1 MiB: outputs are stored with the run and travel through expressions; bulk data belongs in a registry. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * `http@v1`: a user-extensible action run by a web service. The step's `body` is POSTed as
 * JSON and the JSON answer becomes the step's outputs. 408, 429 and 5xx fail the attempt
 * retryably, other 4xx for good. Secret headers are filled in at the last moment, so their
 * values never appear in the step's recorded input, its logs or its error messages.
 */
export const httpAction: ActionDefinition<HttpInput, HttpOutput> = defineAction({
  name: 'http',
  version: 'v1',
  description: 'Call a web service: POST JSON, get JSON back as the step outputs.',
  input: HttpInput,
  output: HttpOutput,
  run: runHttp,
});

async function runHttp(input: HttpInput, context: ActionContext): Promise<HttpOutput> {
  const headers: Record<string, string> = { ...input.headers };
  const secrets: string[] = [];
  const given = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  for (const [name, reference] of Object.entries(input.secretHeaders ?? {})) {
    if (given.has(name.toLowerCase())) {
      throw invalidInput(`secretHeaders: ${name} is also given in headers; give it once`, { header: name });
    }
    const { secret, prefix } = typeof reference === 'string' ? { secret: reference, prefix: '' } : reference;
    const value = requireSecret(context, secret, `secretHeaders.${name}`);
    if (/[\r\n\0]/.test(value)) {
      throw invalidInput(
        `secretHeaders.${name}: secret "${secret}" contains a line break and cannot be a header value`,
      );
    }
    secrets.push(value);
    headers[name] = `${prefix ?? ''}${value}`;
  }
  const reply = await sendJson({
    method: input.method,
    url: input.url,
    body: Buffer.from(JSON.stringify(input.body), 'utf8'),
    headers,
    maxResponseBytes: MAX_RESPONSE_BYTES,
    secrets,
    context,
  });
  const masked = maskSecretsInValue(parseReply(reply, secrets), secrets);
  if (masked.masked) context.logger.warn('the answer contained a secret value; it is masked');
  return masked.value;
}

function parseReply(reply: JsonReply, secrets: readonly string[]): unknown {
  const text = reply.body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw actionFailure(
      'ACTION_OUTPUT_INVALID',
      `the endpoint answered ${reply.status} with ${reply.contentType ?? 'no content type'}, not JSON: ${excerptOf(reply.body, secrets)}`,
      { details: { status: reply.status, contentType: reply.contentType ?? null } },
    );
  }
}
