import { z } from 'zod';
import { RoleSchema } from './common.js';
import { named } from './registry.js';

export const ApiTokenSchema = named(
  'ApiToken',
  z.object({
    id: z.string(),
    subject: z.string(),
    roles: z.array(RoleSchema),
    description: z.string().optional(),
    createdAt: z.string(),
    createdBy: z.string(),
    expiresAt: z.string().optional(),
    lastUsedAt: z.string().optional().describe('Updated at most every five minutes'),
    revokedAt: z.string().optional(),
    revokedBy: z.string().optional(),
  }),
);

export const CreatedTokenSchema = named(
  'CreatedToken',
  ApiTokenSchema.extend({ token: z.string().describe('The secret: shown this once, stored only as a hash') }),
);

export const TokenListSchema = named('TokenList', z.object({ tokens: z.array(ApiTokenSchema) }));

/** `user:alice`, `robot:ci`; `system:` is the engine's own. */
export const SUBJECT_PATTERN = /^(?!system:)[a-z][a-z0-9-]{0,31}:[A-Za-z0-9._@+-]{1,128}$/;

export const CreateTokenRequestSchema = z
  .object({
    subject: z
      .string()
      .regex(SUBJECT_PATTERN, 'write kind:name, e.g. user:alice or robot:ci (system: is reserved)')
      .describe('Who acts with the token'),
    roles: z.array(RoleSchema).min(1, 'at least one role'),
    description: z.string().max(500).optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional().describe('RFC 3339'),
    expiresIn: z.string().optional().describe('A duration from now instead: 90m, 12h, 30d'),
  })
  .refine((body) => !(body.expiresAt && body.expiresIn), {
    message: 'give expiresAt or expiresIn, not both',
    path: ['expiresIn'],
  });

export const TokenListQuery = z.object({
  all: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Include revoked tokens'),
});

export const TokenIdParams = z.object({ id: z.string().min(1).max(100) });

export const WhoAmISchema = named(
  'WhoAmI',
  z.object({
    subject: z.string(),
    roles: z.array(RoleSchema),
    token: z.object({ id: z.string(), expiresAt: z.string().optional() }),
  }),
);
