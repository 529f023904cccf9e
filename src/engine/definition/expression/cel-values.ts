import { isCelList, isCelMap, isCelType, isCelUint, type CelInput } from '@bufbuild/cel';
import { EXPRESSION_LIMITS } from './limits.js';

/**
 * Conversion between the engine's JSON data and CEL values (cel-spec `langdef.md`, "JSON Data
 * Conversion"). Only data crosses: plain objects become maps of their own enumerable keys,
 * arrays lists; functions, class instances and prototypes never reach an expression.
 * Integral numbers become CEL `int` (so `inputs.count + 1` works), others `double`.
 */

export class ValueConversionError extends Error {}

interface Counter {
  values: number;
}

export function toCelValue(value: unknown, counter: Counter = { values: 0 }, depth = 0): CelInput {
  if (++counter.values > EXPRESSION_LIMITS.maxScopeValues) {
    throw new ValueConversionError(`the data holds more than ${EXPRESSION_LIMITS.maxScopeValues} values`);
  }
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return value;
    case 'number':
      return Number.isSafeInteger(value) ? BigInt(value) : value;
    case 'object':
      break;
    default:
      throw new ValueConversionError(`a ${typeof value} is not data`);
  }
  if (depth >= EXPRESSION_LIMITS.maxValueDepth) {
    throw new ValueConversionError(
      `the data is nested more than ${EXPRESSION_LIMITS.maxValueDepth} levels deep`,
    );
  }
  if (Array.isArray(value)) return value.map((item) => toCelValue(item, counter, depth + 1));
  if (value instanceof Uint8Array) return value;
  if (value instanceof Date) return value.toISOString();
  const entries =
    value instanceof Map ? [...value.entries()] : isPlainObject(value) ? Object.entries(value) : undefined;
  if (entries === undefined)
    throw new ValueConversionError(`a ${value.constructor?.name ?? 'object'} is not data`);
  return new Map(entries.map(([key, item]) => [String(key), toCelValue(item, counter, depth + 1)]));
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A CEL result as JSON data: ints as numbers (strings beyond 2^53), bytes as base64, maps as objects. */
export function fromCelValue(value: unknown): unknown {
  switch (typeof value) {
    case 'bigint':
      return bigintToJson(value);
    case 'string':
    case 'boolean':
    case 'number':
      return value;
    case 'undefined':
      return null;
    default:
      break;
  }
  if (value === null) return null;
  if (isCelUint(value)) return bigintToJson(value.value);
  if (isCelList(value)) return Array.from(value, fromCelValue);
  if (isCelMap(value)) {
    return Object.fromEntries(
      Array.from(value.entries(), ([key, item]) => [String(fromCelValue(key)), fromCelValue(item)]),
    );
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (isCelType(value)) return value.name;
  return fromMessage(value);
}

function bigintToJson(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

/** `timestamp(…)` and `duration(…)` results are protobuf messages: RFC 3339 text and `<seconds>s`. */
function fromMessage(value: unknown): unknown {
  const reflected = value as { desc?: { typeName?: string }; message?: { seconds?: bigint; nanos?: number } };
  const typeName = reflected.desc?.typeName;
  const message = reflected.message;
  if (message !== undefined && typeName === 'google.protobuf.Timestamp') {
    return new Date(
      Number(message.seconds ?? 0n) * 1000 + Math.floor((message.nanos ?? 0) / 1e6),
    ).toISOString();
  }
  if (message !== undefined && typeName === 'google.protobuf.Duration') {
    const nanos = message.nanos ?? 0;
    return `${String(message.seconds ?? 0n)}${nanos === 0 ? '' : `.${String(Math.abs(nanos)).padStart(9, '0').replace(/0+$/, '')}`}s`;
  }
  throw new ValueConversionError(`the result is a ${typeName ?? 'value'} that has no JSON form`);
}
