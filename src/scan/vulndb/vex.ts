import { PackageURL } from 'packageurl-js';
import { AppError } from '../../kernel/index.js';
import type { Finding, VexAssessment, VexStatus } from './finding.js';

/**
 * OpenVEX 0.2.0 (https://github.com/openvex/spec/blob/main/OPENVEX-SPEC.md): statements that
 * a product is or is not affected by a vulnerability. Applied to findings, `not_affected` and
 * `fixed` suppress a finding (it stays in the report, with the justification), `affected`
 * and `under_investigation` are recorded without suppressing.
 *
 * A statement applies to a finding when its vulnerability (name or alias) is one of the
 * finding's identifiers and a product matches: the package itself (by purl), or the image
 * (by digest or `pkg:oci` purl) — then either every package of the image, or, when the
 * product lists subcomponents, the packages among them.
 */

export interface VexDocument {
  id: string;
  /** Where the document was read: the file given with `--vex`, or the referrer it is attached as. */
  source?: string;
  author?: string;
  timestamp?: string;
  statements: VexStatement[];
}

export interface VexStatement {
  vulnerability: { name: string; aliases: string[] };
  products: VexProduct[];
  status: VexStatus;
  justification?: string;
  impactStatement?: string;
  actionStatement?: string;
  /** The statement's `last_updated` or `timestamp`, else the document's. */
  timestamp?: string;
}

export interface VexProduct {
  id?: string;
  purl?: string;
  /** `sha256:<hex>` digests the product is identified by. */
  digests: string[];
  subcomponents: VexProduct[];
}

export interface ParsedVex {
  document: VexDocument;
  /** Statements skipped as invalid, with the reason. */
  problems: string[];
}

export interface ApplyVexContext {
  /** Digests of the scanned image (its index and platform manifest): products naming them apply to every package. */
  imageDigests?: readonly string[];
}

/** OpenVEX's JSON-LD context (and, as an in-toto predicate type, its namespace), any version. */
export const OPENVEX_CONTEXT = 'https://openvex.dev/ns';

const STATUSES: readonly VexStatus[] = ['not_affected', 'affected', 'fixed', 'under_investigation'];
/** OpenVEX 0.2.0 "Status Justifications". */
export const VEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;

/**
 * Parses an OpenVEX document; `source` names it in errors and in the findings it applies to
 * (a file path, a referrer digest).
 */
export function parseOpenVex(text: string, source: string): ParsedVex {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError('SCAN_VEX_INVALID', `${source} is not JSON: ${(error as Error).message}`);
  }
  return readOpenVex(value, source);
}

/** Whether a JSON value says it is an OpenVEX document (`@context` https://openvex.dev/ns…). */
export function isOpenVex(value: unknown): boolean {
  const context = asObject(value)?.['@context'];
  return typeof context === 'string' && context.startsWith(OPENVEX_CONTEXT);
}

/** Reads an OpenVEX document already parsed from JSON (an in-toto predicate, for instance). */
export function readOpenVex(value: unknown, source: string): ParsedVex {
  const doc = asObject(value);
  if (!doc || !isOpenVex(doc)) {
    throw new AppError(
      'SCAN_VEX_INVALID',
      `${source} is not an OpenVEX document: "@context" must be https://openvex.dev/ns/v0.2.0`,
    );
  }
  if (!Array.isArray(doc.statements))
    throw new AppError('SCAN_VEX_INVALID', `${source}: "statements" must be an array`);
  const documentTimestamp = str(doc.last_updated) ?? str(doc.timestamp);
  const problems: string[] = [];
  const statements: VexStatement[] = [];
  doc.statements.forEach((item, i) => {
    const parsed = parseStatement(item, documentTimestamp);
    if (typeof parsed === 'string') problems.push(`${source}: statements[${i}]: ${parsed}`);
    else statements.push(parsed);
  });
  return {
    document: {
      id: str(doc['@id']) ?? source,
      source,
      ...(str(doc.author) ? { author: str(doc.author) } : {}),
      ...(documentTimestamp ? { timestamp: documentTimestamp } : {}),
      statements,
    },
    problems,
  };
}

function parseStatement(value: unknown, documentTimestamp: string | undefined): VexStatement | string {
  const statement = asObject(value);
  if (!statement) return 'not an object';
  const vulnerability = parseVulnerability(statement.vulnerability);
  if (!vulnerability) return '"vulnerability" needs a "name"';
  const status = statement.status;
  if (typeof status !== 'string' || !STATUSES.includes(status as VexStatus))
    return `"status" must be one of ${STATUSES.join(', ')}`;
  const justification = str(statement.justification);
  const impactStatement = str(statement.impact_statement);
  if (status === 'not_affected' && !justification && !impactStatement)
    return 'a not_affected statement needs a "justification" or an "impact_statement"';
  if (justification && !(VEX_JUSTIFICATIONS as readonly string[]).includes(justification))
    return `unknown justification "${justification}"`;
  const products = Array.isArray(statement.products)
    ? statement.products.map(parseProduct).filter((p): p is VexProduct => p !== undefined)
    : [];
  if (products.length === 0) return '"products" is empty';
  const timestamp = str(statement.last_updated) ?? str(statement.timestamp) ?? documentTimestamp;
  return {
    vulnerability,
    products,
    status: status as VexStatus,
    ...(justification ? { justification } : {}),
    ...(impactStatement ? { impactStatement } : {}),
    ...(str(statement.action_statement) ? { actionStatement: str(statement.action_statement) } : {}),
    ...(timestamp ? { timestamp } : {}),
  };
}

/** 0.2.0 has an object (`name`, `aliases`); earlier documents a plain string. */
function parseVulnerability(value: unknown): VexStatement['vulnerability'] | undefined {
  if (typeof value === 'string' && value !== '') return { name: value, aliases: [] };
  const object = asObject(value);
  const name = str(object?.name) ?? str(object?.['@id']);
  if (!name) return undefined;
  const aliases = Array.isArray(object?.aliases)
    ? object.aliases.filter((a): a is string => typeof a === 'string')
    : [];
  return { name, aliases };
}

function parseProduct(value: unknown): VexProduct | undefined {
  if (typeof value === 'string') return productFromId(value, undefined, []);
  const object = asObject(value);
  if (!object) return undefined;
  const identifiers = asObject(object.identifiers);
  const hashes = asObject(object.hashes);
  const digests = Object.entries(hashes ?? {})
    .filter(([algorithm, hex]) => /^sha-?256$/i.test(algorithm) && typeof hex === 'string')
    .map(([, hex]) => `sha256:${String(hex).toLowerCase()}`);
  const subcomponents = Array.isArray(object.subcomponents)
    ? object.subcomponents.map(parseProduct).filter((p): p is VexProduct => p !== undefined)
    : [];
  return productFromId(str(object['@id']), str(identifiers?.purl), digests, subcomponents);
}

function productFromId(
  id: string | undefined,
  purl: string | undefined,
  digests: string[],
  subcomponents: VexProduct[] = [],
): VexProduct {
  const out: VexProduct = { digests: [...digests], subcomponents };
  if (id) out.id = id;
  if (purl ?? id?.startsWith('pkg:')) out.purl = purl ?? id;
  if (id && /^sha256:[0-9a-f]{64}$/i.test(id)) out.digests.push(id.toLowerCase());
  const ociDigest = out.purl ? ociPurlDigest(out.purl) : undefined;
  if (ociDigest) out.digests.push(ociDigest);
  return out;
}

/**
 * Sets `vex` and `suppressed` on the findings statements apply to. Where several statements
 * apply, the most recent (by timestamp) wins, as OpenVEX's "latest statement" rule says.
 */
export function applyVex(
  findings: readonly Finding[],
  documents: readonly VexDocument[],
  context: ApplyVexContext = {},
): Finding[] {
  const imageDigests = new Set((context.imageDigests ?? []).map((d) => d.toLowerCase()));
  const statements = documents.flatMap((doc) => doc.statements.map((statement) => ({ doc, statement })));
  return findings.map((finding) => {
    const ids = new Set([finding.id, ...finding.aliases]);
    let chosen: { doc: VexDocument; statement: VexStatement } | undefined;
    for (const candidate of statements) {
      const { vulnerability } = candidate.statement;
      if (!ids.has(vulnerability.name) && !vulnerability.aliases.some((a) => ids.has(a))) continue;
      if (!candidate.statement.products.some((p) => productApplies(p, finding.package.purl, imageDigests)))
        continue;
      if (!chosen || timeOf(candidate.statement) >= timeOf(chosen.statement)) chosen = candidate;
    }
    if (!chosen) return finding;
    const vex: VexAssessment = {
      status: chosen.statement.status,
      ...pick(chosen.statement),
      document: chosen.doc.id,
      ...(chosen.doc.source && chosen.doc.source !== chosen.doc.id ? { source: chosen.doc.source } : {}),
    };
    return { ...finding, vex, suppressed: vex.status === 'not_affected' || vex.status === 'fixed' };
  });
}

/** Undated statements count as oldest. */
function timeOf(statement: VexStatement): number {
  const time = statement.timestamp ? Date.parse(statement.timestamp) : Number.NaN;
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

function pick(statement: VexStatement): Omit<VexAssessment, 'status' | 'document'> {
  const out: Omit<VexAssessment, 'status' | 'document'> = {};
  if (statement.justification) out.justification = statement.justification;
  if (statement.impactStatement) out.impactStatement = statement.impactStatement;
  if (statement.actionStatement) out.actionStatement = statement.actionStatement;
  if (statement.timestamp) out.timestamp = statement.timestamp;
  return out;
}

function productApplies(
  product: VexProduct,
  packagePurl: string | undefined,
  imageDigests: ReadonlySet<string>,
): boolean {
  const isImage = product.digests.some((d) => imageDigests.has(d));
  if (product.subcomponents.length > 0) {
    // Subcomponents inside that product only: a product pinned to another image's digest does not apply.
    const productMatches = isImage || product.digests.length === 0;
    return (
      productMatches &&
      product.subcomponents.some(
        (sub) => packagePurl !== undefined && sub.purl !== undefined && purlMatches(sub.purl, packagePurl),
      )
    );
  }
  if (isImage) return true;
  return packagePurl !== undefined && product.purl !== undefined && purlMatches(product.purl, packagePurl);
}

/**
 * A statement's purl matches a package's when type, namespace and name agree, the version
 * agrees if the statement gives one, and every qualifier the statement gives is present with
 * the same value (`pkg:deb/debian/openssl` matches every openssl build; `?arch=amd64` only
 * that architecture's).
 */
export function purlMatches(statementPurl: string, packagePurl: string): boolean {
  const a = safePurl(statementPurl);
  const b = safePurl(packagePurl);
  if (!a || !b) return false;
  if (a.type !== b.type || (a.namespace ?? '') !== (b.namespace ?? '') || a.name !== b.name) return false;
  if (a.version && a.version !== b.version) return false;
  for (const [key, value] of Object.entries(a.qualifiers ?? {}))
    if (b.qualifiers?.[key] !== value) return false;
  return true;
}

function ociPurlDigest(purl: string): string | undefined {
  const parsed = safePurl(purl);
  return parsed?.type === 'oci' && parsed.version && /^sha256:[0-9a-f]{64}$/i.test(parsed.version)
    ? parsed.version.toLowerCase()
    : undefined;
}

function safePurl(purl: string): PackageURL | undefined {
  try {
    return PackageURL.fromString(purl);
  } catch {
    return undefined;
  }
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
