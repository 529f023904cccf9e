import { z } from 'zod';
import { parseDuration } from './duration.js';

/** Actions of Docker token scopes (`repository:<name>:pull,push,delete`). */
export const ACTIONS = ['pull', 'push', 'delete'] as const;
export type Action = (typeof ACTIONS)[number];

const MiB = 1024 * 1024;

const duration = z.string().transform((text, ctx) => {
  try {
    return parseDuration(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const principalName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/,
    'must be 1-128 letters, digits or . _ @ + - and start with a letter or digit',
  )
  // The subject of tokens issued to clients without credentials.
  .refine((name) => name !== 'anonymous', 'is reserved for clients without credentials');
const role = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be lowercase letters, digits or . _ - (e.g. quarantine)');
const scryptHash = z
  .string()
  .regex(
    /^\$scrypt\$ln=\d+,r=\d+,p=\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/,
    'must be a hash printed by `airlock registry hash-password`',
  );
const secretHash = z.union([
  scryptHash,
  z.string().regex(/^\$sha256\$[a-f0-9]{64}$/, 'must be a hash printed by `airlock registry hash-password`'),
]);

// A glob over repository paths: components of the name grammar, `*` (one component) or `**` (any number).
const NAMESPACE_GLOB =
  /^(?:\*\*|\*|[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)(?:\/(?:\*\*|\*|[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*))*$/;

export const RegistryUser = z.strictObject({
  name: principalName,
  /** `$scrypt$…` from `airlock registry hash-password`. */
  passwordHash: scryptHash,
  roles: z.array(role).default([]),
});

export const RegistryRobot = z.strictObject({
  name: principalName,
  /** `$sha256$…` of a generated token (or `$scrypt$…`); the token itself is never stored. */
  tokenHash: secretHash,
  roles: z.array(role).default([]),
});

export const RegistryAuthConfig = z.strictObject({
  /** `service` of the Bearer challenge and `aud` of the tokens. */
  service: z.string().min(1).default('airlock-registry'),
  issuer: z.string().min(1).default('airlock-registry'),
  /** Life of access tokens; short, because they cannot be revoked. */
  tokenTtl: duration.default(5 * 60_000),
  /** Life of OAuth2 refresh tokens (POST /token with access_type=offline). */
  refreshTokenTtl: duration.default(24 * 3_600_000),
  users: z.array(RegistryUser).default([]),
  robots: z.array(RegistryRobot).default([]),
});

export const RegistryNamespace = z.strictObject({
  /** Repository glob, e.g. `quarantine/**`; the first namespace that matches a repository applies. */
  match: z
    .string()
    .regex(NAMESPACE_GLOB, 'must be a repository path whose components may be * or **, e.g. golden/**'),
  /** Anonymous clients may pull. */
  anonymousPull: z.boolean().default(false),
  /** Role → granted actions; the role `*` stands for every authenticated user and robot. */
  roles: z.record(z.union([role, z.literal('*')]), z.array(z.enum(ACTIONS))).default({}),
});

export const RegistryLimits = z.strictObject({
  /** distribution-spec "Pushing Manifests": clients must be able to push at least 4 MB. */
  manifestMaxBytes: z
    .int()
    .min(4 * MiB)
    .max(64 * MiB)
    .default(4 * MiB),
  /** Largest blob accepted, in bytes; 0 for no limit. */
  blobMaxBytes: z.int().min(0).default(0),
  /** An upload session idle this long is forgotten and removed by gc. */
  uploadExpiry: duration.default(24 * 3_600_000),
  /** Most entries per tags, catalog or referrers page. */
  pageMax: z.int().min(1).max(100_000).default(1000),
  /** Manifest bytes kept in memory per process. */
  manifestCacheBytes: z
    .int()
    .min(0)
    .default(64 * MiB),
});

export const RegistryConfig = z
  .strictObject({
    /** `HOST:PORT` to listen on; the command line's `--listen` wins. */
    listen: z.string().optional(),
    /** Base URL clients reach the registry at (behind a proxy); else taken from each request's Host. */
    publicUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Serve HTTPS with this PEM certificate chain and key (relative paths: from the config file). */
    tls: z.strictObject({ certFile: z.string().min(1), keyFile: z.string().min(1) }).optional(),
    storage: z.strictObject({ fsync: z.boolean().default(true) }).prefault({}),
    limits: RegistryLimits.prefault({}),
    /** Without `auth`, the registry is open to anonymous push and pull and listens on loopback only. */
    auth: RegistryAuthConfig.optional(),
    namespaces: z.array(RegistryNamespace).default([]),
    /** Where manifest pushes and deletions are POSTed (CNCF distribution's notification envelope). */
    notifications: z
      .strictObject({
        endpoints: z
          .array(
            z.strictObject({
              url: z.url({ protocol: /^https?$/ }),
              /** Environment variable with the shared secret, sent as `Authorization: Bearer …`. */
              secretEnv: z
                .string()
                .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')
                .optional(),
            }),
          )
          .default([]),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<string, string>();
    for (const [kind, list] of [
      ['users', config.auth?.users ?? []],
      ['robots', config.auth?.robots ?? []],
    ] as const) {
      list.forEach((principal, i) => {
        const first = seen.get(principal.name);
        if (first)
          ctx.addIssue({
            code: 'custom',
            path: ['auth', kind, i, 'name'],
            message: `"${principal.name}" is already defined at ${first}`,
          });
        else seen.set(principal.name, `auth.${kind}[${i}]`);
      });
    }
    if (config.namespaces.length > 0 && !config.auth) {
      ctx.addIssue({
        code: 'custom',
        path: ['namespaces'],
        message: 'namespaces need an auth section: without auth the registry is open to everyone on loopback',
      });
    }
  });

export type RegistryConfig = z.output<typeof RegistryConfig>;
export type RegistryConfigInput = z.input<typeof RegistryConfig>;
export type RegistryAuthConfig = z.output<typeof RegistryAuthConfig>;
export type RegistryNamespace = z.output<typeof RegistryNamespace>;
export type RegistryLimits = z.output<typeof RegistryLimits>;

/** The configuration with every default applied (no config file). */
export function defaultRegistryConfig(): RegistryConfig {
  return RegistryConfig.parse({});
}
