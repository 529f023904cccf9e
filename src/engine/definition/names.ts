/**
 * Names a workflow declares. Step ids, input names and output names appear in CEL
 * expressions (`steps.tags.outputs`, `inputs.repository`), so they follow CEL's identifier
 * grammar (cel-spec `langdef.md`, "Syntax": `[_a-zA-Z][_a-zA-Z0-9]*`, minus reserved words):
 * a hyphen would read as subtraction.
 */

export const IDENTIFIER_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,63}$';

/** Workflow names travel in URLs and CLI arguments: DNS-label-like, lower-case. */
export const WORKFLOW_NAME_PATTERN = '^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$';

/** Environment variable names, as POSIX shells accept them. */
export const ENV_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';

/** cel-spec `langdef.md`, "Syntax": reserved words that cannot be identifiers. */
const CEL_RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

/** Why `name` cannot be an identifier in expressions (`what`: "step id", "input name"), or undefined. */
export function identifierProblem(name: string, what: string): string | undefined {
  if (new RegExp(IDENTIFIER_PATTERN).test(name)) {
    return CEL_RESERVED.has(name)
      ? `${what} "${name}" is a reserved word in expressions: choose another`
      : undefined;
  }
  if (name.length > 64) return `${what} "${name.slice(0, 20)}…" is longer than 64 characters`;
  const fixed = name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([0-9])/, '_$1');
  return `invalid ${what} "${name}": use letters, digits and _ (not starting with a digit; expressions read - as minus), e.g. ${fixed}`;
}

export function workflowNameProblem(name: string): string | undefined {
  if (new RegExp(WORKFLOW_NAME_PATTERN).test(name)) return undefined;
  return `invalid workflow name "${name}": use lower-case letters, digits, . _ and - (at most 64, starting and ending with a letter or digit)`;
}

/** `<action>@<version>`: lower-case path segments, then a version such as `v1`. */
export const USES_PATTERN =
  '^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*@[A-Za-z0-9][A-Za-z0-9._-]*$';

const ACTION_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/** Why a `uses` value is not `<action>@<version>`, or undefined. */
export function usesProblem(uses: string): string | undefined {
  if (new RegExp(USES_PATTERN).test(uses)) return undefined;
  const at = uses.lastIndexOf('@');
  const name = at < 0 ? uses : uses.slice(0, at);
  if (ACTION_NAME.test(name) && (at < 0 || at === uses.length - 1)) {
    return `"${uses}" needs a version: write ${name}@v1`;
  }
  if (ACTION_NAME.test(name.toLowerCase())) {
    const version = at < 0 ? '@v1' : uses.slice(at);
    return `"${uses}" is not an action reference: action names are lower-case, e.g. ${name.toLowerCase()}${version}`;
  }
  return `"${uses}" is not an action reference: write <action>@<version>, e.g. oci/copy@v1`;
}
