/** What replaces a secret value in outputs, errors and logs. */
export const MASK = '***';

/**
 * Shorter values are not masked: masking `1` or `no` everywhere would garble every text and
 * protect nothing, since such a value is guessable anyway.
 */
const MIN_SECRET_LENGTH = 3;

/** The masker when there is nothing to mask: {@link maskSecrets} then returns its value as is. */
const unmasked = (text: string): string => text;

/**
 * A function that replaces every occurrence of the secret values in a string, longest first
 * (so that a secret containing another is replaced whole).
 */
export function secretMasker(secrets: Iterable<string>): (text: string) => string {
  const values = [...new Set(secrets)]
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  if (values.length === 0) return unmasked;
  return (text) =>
    values.reduce((out, secret) => (out.includes(secret) ? out.split(secret).join(MASK) : out), text);
}

/**
 * Masks secret values in every string of a JSON-like value (object keys included). The engine
 * masks step outputs before they are recorded or handed to later steps, as GitHub Actions
 * does: a secret never reaches the database (the run's tables or the durable checkpoints)
 * through an action that echoed it.
 */
export function maskSecrets<T>(value: T, mask: (text: string) => string): T {
  // Without secrets (the common case) a step's outputs, however large, are not walked and copied.
  return mask === unmasked ? value : (walk(value, mask) as T);
}

function walk(value: unknown, mask: (text: string) => string): unknown {
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) return value.map((item) => walk(item, mask));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [mask(key), walk(item, mask)]));
  }
  return value;
}
