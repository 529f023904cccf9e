import { z } from 'zod';
import { TAG_PATTERN } from '../../oci/ref/index.js';

/**
 * Input fields several built-in actions share. Kept free of transforms, so that every
 * action's input converts to JSON Schema for the published workflow schema and the docs.
 */

export const locationField = z
  .string()
  .min(1)
  .describe(
    'a registry reference (docker.io/library/node:22), oci:DIR[:TAG], ocidir://DIR[:TAG] or builtin://PATH',
  );

export const tagField = z
  .string()
  .regex(TAG_PATTERN, 'must be up to 128 characters of [A-Za-z0-9_.-], not starting with . or -');

export const platformField = z
  .string()
  .regex(
    /^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)?$/,
    'must be os/architecture[/variant], e.g. linux/arm64',
  );

/** A secret's name as `context.secret` takes it. */
export const secretNameField = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/,
    'must be a secret name: letters, digits, _ . -, not starting with a digit',
  );

/** An HTTP header name (RFC 9110 §5.1 token). */
export const headerNameField = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name');

/** A header value without line breaks (RFC 9110 §5.5). */
export const headerValueField = z.string().regex(/^[^\r\n\0]*$/, 'must not contain line breaks');

export const annotationsField = z.record(z.string().min(1), z.string());

export const httpUrlField = z
  .string()
  .min(1)
  .refine(
    (text) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol),
    'must be an http:// or https:// URL',
  );

/** A media type without parameters (RFC 6838 §4.2), as OCI descriptors carry them. */
export const mediaTypeField = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/,
    'must be a media type such as application/vnd.example.report+json',
  );
