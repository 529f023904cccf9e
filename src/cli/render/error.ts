import { AppError, redactText } from '../../kernel/index.js';

/**
 * One or two lines for a human: what failed and, where known, the cause chain — never a
 * stack trace unless AIRLOCK_DEBUG is set.
 */
export function formatError(error: unknown, debug = false): string {
  const lines: string[] = [];
  if (error instanceof AppError) {
    // Further lines of a message (each problem of a workflow file, each invalid field) follow, indented.
    const [first, ...rest] = error.message.split('\n');
    lines.push(`error: ${first} [${error.code}]`, ...rest.map((line) => `  ${line}`));
  } else if (error instanceof Error) {
    lines.push(`error: ${redactText(error.message)}`);
  } else {
    lines.push(`error: ${redactText(String(error))}`);
  }
  let cause = error instanceof Error ? error.cause : undefined;
  let depth = 0;
  while (cause instanceof Error && depth < 3) {
    const text = redactText(cause.message);
    if (!lines.some((l) => l.includes(text))) lines.push(`  caused by: ${text}`);
    cause = cause.cause;
    depth++;
  }
  if (debug && error instanceof Error && error.stack) lines.push(redactText(error.stack));
  return lines.join('\n');
}
