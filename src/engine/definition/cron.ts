/**
 * Five-field cron schedules (minute hour day-of-month month day-of-week), as in Vixie cron and
 * POSIX `crontab(5)`: `*`, values, ranges `a-b`, steps `/n` and lists `a,b`; month and weekday
 * names (`JAN`, `MON`); 0 and 7 are both Sunday. The `@daily`-style macros are accepted and
 * expanded. A sixth, leading field gives seconds (`0-59/10 * * * * *`: every 10 seconds).
 */

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 0, max: 7, names: WEEKDAYS },
];

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const FIELD_LIST = FIELDS.map((field) => field.name).join(' ');
/** An optional leading seconds field (six fields, as DBOS's scheduler reads them) for sub-minute schedules. */
const SECONDS: CronField = { name: 'second', min: 0, max: 59 };

/** The five-field form of a schedule: macros expanded, whitespace collapsed. */
export function normalizeCron(text: string): string {
  const trimmed = text.trim();
  return MACROS[trimmed.toLowerCase()] ?? trimmed.split(/\s+/).join(' ');
}

/** Every reason the schedule is not valid cron; empty when it is. */
export function cronProblems(text: string): string[] {
  const normalized = normalizeCron(text);
  if (normalized.startsWith('@')) {
    return [`unknown cron macro "${text.trim()}": use one of ${Object.keys(MACROS).join(', ')}`];
  }
  const parts = normalized === '' ? [] : normalized.split(' ');
  if (parts.length !== FIELDS.length && parts.length !== FIELDS.length + 1) {
    return [
      `"${text}" has ${parts.length} field${parts.length === 1 ? '' : 's'}; cron needs 5: ${FIELD_LIST} (or 6, with a leading second)`,
    ];
  }
  const fields = parts.length === FIELDS.length ? FIELDS : [SECONDS, ...FIELDS];
  const problems: string[] = [];
  parts.forEach((part, i) => {
    const field = fields[i]!;
    for (const item of part.split(',')) {
      const problem = itemProblem(item, field);
      if (problem !== undefined) problems.push(`${problem} in "${text}"`);
    }
  });
  return problems;
}

function itemProblem(item: string, field: CronField): string | undefined {
  if (item === '') return `${field.name} has an empty list item`;
  const [range, step, extra] = item.split('/');
  if (extra !== undefined) return `${field.name} "${item}" has more than one /`;
  if (step !== undefined) {
    if (!/^[0-9]+$/.test(step)) return `${field.name} step "${step}" is not a number`;
    const size = field.max - field.min + 1;
    if (Number(step) < 1) return `${field.name} step ${step} must be at least 1`;
    if (Number(step) > size)
      return `${field.name} step ${step} is larger than the range ${field.min}-${field.max}`;
  }
  if (range === '*') return undefined;
  if (step !== undefined && !range!.includes('-')) {
    return `${field.name} "${item}": a step needs a range: write */${step} or ${range}-${field.max}/${step}`;
  }
  const [from, to, more] = range!.split('-');
  if (more !== undefined) return `${field.name} "${range}" is not a range: write a-b`;
  const fromValue = valueOf(from!, field);
  if (typeof fromValue === 'string') return fromValue;
  if (to === undefined) return undefined;
  const toValue = valueOf(to, field);
  if (typeof toValue === 'string') return toValue;
  if (toValue < fromValue) return `${field.name} range ${range} runs backwards: write ${to}-${from}`;
  return undefined;
}

/** The number of one value, or a message saying why it is not one. */
function valueOf(text: string, field: CronField): number | string {
  if (/^[0-9]+$/.test(text)) {
    const value = Number(text);
    if (value < field.min || value > field.max) {
      return `${field.name} ${text} is out of range ${field.min}-${field.max}`;
    }
    return value;
  }
  if (field.names === undefined) return `${field.name} "${text}" is not a number`;
  const index = field.names.indexOf(text.toUpperCase());
  if (index >= 0) return index + (field.name === 'month' ? 1 : 0);
  const first = field.names[0]!;
  const last = field.names[field.names.length - 1]!;
  return `${field.name} has unknown name "${text}": use ${first}-${last} or ${field.min}-${field.max}`;
}
