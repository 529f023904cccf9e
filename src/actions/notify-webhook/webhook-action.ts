import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { ActionContext, ActionDefinition } from '../../engine/actions/contract.js';
import { defineAction } from '../support/define-action.js';
import { deliveryId, sendJson } from '../support/json-http.js';
import { headerNameField, headerValueField, httpUrlField, secretNameField } from '../support/schemas.js';
import { requireSecret } from '../support/secrets.js';

export const WebhookInput = z.strictObject({
  url: httpUrlField.describe('where to POST; credentials in the URL are sent as Basic authentication'),
  payload: z
    .unknown()
    .refine((value) => value !== undefined, 'is required')
    .describe('the JSON document to send'),
  headers: z.record(headerNameField, headerValueField).optional().describe('extra request headers'),
  secret: secretNameField
    .optional()
    .describe('name of a secret to sign the body with (HMAC-SHA256, in X-Airlock-Signature: sha256=…)'),
});
export type WebhookInput = z.infer<typeof WebhookInput>;

export const WebhookOutput = z.object({
  status: z.number(),
  /** The `X-Airlock-Delivery` id, the same for every attempt of this step. */
  delivery: z.string(),
});
export type WebhookOutput = z.infer<typeof WebhookOutput>;

/** The signature header, in the form GitHub's webhooks made familiar (`X-Hub-Signature-256`). */
export const SIGNATURE_HEADER = 'x-airlock-signature';

/**
 * `notify/webhook@v1`: POSTs a JSON document. Connection failures, 429 and 5xx fail the
 * attempt retryably (the step's retry policy decides how often to try again, and
 * `retryAfterMs` carries the receiver's `Retry-After`); other 4xx fail it for good. Logs and
 * messages show only the receiver's origin: chat webhooks carry their credential in the path.
 */
export const webhookAction: ActionDefinition<WebhookInput, WebhookOutput> = defineAction({
  name: 'notify/webhook',
  version: 'v1',
  description: 'POST a JSON notification, optionally signed with HMAC-SHA256.',
  input: WebhookInput,
  output: WebhookOutput,
  run: runWebhook,
});

async function runWebhook(input: WebhookInput, context: ActionContext): Promise<WebhookOutput> {
  const body = Buffer.from(JSON.stringify(input.payload), 'utf8');
  const headers: Record<string, string> = { ...input.headers };
  const secrets: string[] = [];
  if (input.secret !== undefined) {
    const key = requireSecret(context, input.secret, 'secret');
    secrets.push(key);
    headers[SIGNATURE_HEADER] = signatureOf(body, key);
  }
  const reply = await sendJson({
    method: 'POST',
    url: input.url,
    body,
    headers,
    maxResponseBytes: 0,
    secrets,
    show: 'origin',
    context,
  });
  const delivery = deliveryId(context);
  context.logger.info(
    { status: reply.status, delivery, signed: input.secret !== undefined },
    'webhook delivered',
  );
  return { status: reply.status, delivery };
}

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`; receivers compare in constant time. */
export function signatureOf(body: Uint8Array, key: string): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}
