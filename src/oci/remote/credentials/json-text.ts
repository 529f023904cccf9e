import { AppError } from '../../../kernel/index.js';

/**
 * Parses JSON that may hold secrets. V8's syntax errors quote the text around the fault,
 * so they are neither shown nor kept as a cause: the error says where the fault is (line
 * and column when V8 reports a position) and what V8 expected, and nothing of the content.
 *
 * @param source names the text in the message, e.g. a file path or an environment variable.
 */
export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError(
      'AUTH_CONFIG_INVALID',
      `${source} is not valid JSON: ${describeSyntaxError(text, error)}`,
    );
  }
}

function describeSyntaxError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (/unexpected end of JSON input/i.test(message)) return 'the text ends before the JSON value is complete';
  const position = /at position (\d+)/.exec(message);
  // Keep V8's grammar explanation only when it quotes no content (content is in double quotes).
  const reason = message.replace(/\s*(?:in JSON )?at position.*$/s, '');
  const token = /^Unexpected token '.'/.exec(message)?.[0];
  const safeReason =
    token ?? (reason && !reason.includes('"') && reason.length <= 120 ? reason : 'syntax error');
  if (!position) return safeReason;
  const { line, column } = lineAndColumn(text, Number(position[1]));
  return `${safeReason} at line ${line}, column ${column}`;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastNewline = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastNewline };
}

/** A JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The key under which `object` holds `name`, matched as Go's encoding/json matches struct
 * fields (exact first, then ignoring case): Docker and containers tools read these files
 * with it, so `credshelpers` or `Auths` work there and must work here.
 */
export function findKey(object: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(object, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(object).find((key) => key.toLowerCase() === lower);
}
