import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export const DOCS_PREFIX = '/api/docs';

/** The top bar's mark: the product's name, drawn with the system's sans-serif font. */
const WORDMARK =
  '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40" viewBox="0 0 160 40">' +
  '<text x="0" y="29" fill="#fff" font-family="sans-serif" font-size="26" font-weight="600">Airlock</text></svg>';

/**
 * The browsable API reference at `/api/docs`: Swagger UI over the generated document. Its
 * assets ship inside the npm package and this server serves them. The validator badge (the
 * one default that calls out) is off, and the page's Content-Security-Policy allows this
 * origin only, so a browser loads nothing from elsewhere — air-gapped installations included.
 */
export function registerDocsUi(app: FastifyInstance, document: () => Record<string, unknown>): void {
  void app.register(fastifySwagger, { mode: 'static', specification: { document: document() as never } });
  void app.register(fastifySwaggerUi, {
    routePrefix: DOCS_PREFIX,
    uiConfig: { deepLinking: true, persistAuthorization: false },
    validatorUrl: false,
    staticCSP: true,
    transformStaticCSP: selfOnly,
    theme: { title: 'Airlock API reference' },
    logo: { type: 'image/svg+xml', content: Buffer.from(WORDMARK) },
  });
}

/**
 * The plugin's policy, minus what it allows beyond this origin (`https:` for fonts and styles,
 * the validator host) and minus `upgrade-insecure-requests`, which would send the page's own
 * assets to https:// on a server that listens on plain HTTP.
 */
export function selfOnly(policy: string): string {
  return policy
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive !== '' && directive !== 'upgrade-insecure-requests')
    .map((directive) =>
      directive
        .split(/\s+/)
        .filter((source) => source !== 'https:' && source !== 'validator.swagger.io')
        .join(' '),
    )
    .join('; ');
}
