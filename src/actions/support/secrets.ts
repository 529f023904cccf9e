import type { ActionContext } from '../../engine/actions/contract.js';
import { maskSecretsWith, redactText, secretMasker } from '../../kernel/index.js';
import { actionFailure } from './failure.js';

/** A secret's value; a missing secret fails the step permanently, naming the field that asked for it. */
export function requireSecret(context: ActionContext, name: string, field: string): string {
  const value = context.secret(name);
  if (value === undefined) {
    throw actionFailure('ACTION_SECRET_MISSING', `${field}: secret "${name}" is not configured`, {
      details: { secret: name, field },
    });
  }
  return value;
}

/**
 * Replaces every occurrence of the given secret values (and, as the last line of defence,
 * URL credentials and bearer tokens) in text that leaves the action: log lines of a user's
 * command, an endpoint's error body quoted in a message.
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  return redactText(secretMasker(secrets)(text));
}

/** At most this much of a body or output is quoted in an error message. */
export const EXCERPT_CHARS = 200;

// eslint-disable-next-line no-control-regex -- control characters are what it replaces
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * The start of some (bounded) bytes as one line of printable text, for "… answered:
 * <excerpt>" messages. Masked before it is clipped, so that no secret is cut in half.
 */
export function excerptOf(bytes: Uint8Array, secrets: readonly string[]): string {
  const text = maskSecrets(Buffer.from(bytes).toString('utf8'), secrets);
  const printable = text.replace(CONTROL_CHARACTERS, '?').replace(/\s+/g, ' ').trim();
  return printable.length > EXCERPT_CHARS ? `${printable.slice(0, EXCERPT_CHARS)}…` : printable;
}

/**
 * A JSON value with every secret value inside its strings (and keys) masked. Outputs are
 * stored with the run and shown to every viewer; a secret a command or endpoint echoes back
 * must not end up there.
 */
export function maskSecretsInValue(
  value: unknown,
  secrets: readonly string[],
): { value: unknown; masked: boolean } {
  let masked = false;
  const mask = secretMasker(secrets);
  const result = maskSecretsWith(value, (text) => {
    const out = redactText(mask(text));
    if (out !== text) masked = true;
    return out;
  });
  return { value: result, masked };
}
