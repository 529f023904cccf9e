import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../kernel/index.js';
import { parseTargetSpec } from './location.js';
import { familiarReference, formatReference, parseReference } from './reference.js';
import { imageReferenceArb, writtenReferenceArb } from './testing/arbitraries.js';

/** Strings made mostly of the characters that matter to the grammar, to reach deep into the parser. */
const referenceishArb = fc.string({
  unit: fc.constantFrom(...'aAz09:/@.-_[]%#sh256 \\éLOCALHOSTlocalhost'.split('')),
  maxLength: 60,
});

function expectOnlyReferenceErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('OCI_REFERENCE_INVALID');
  }
}

describe('reference properties', () => {
  it('parsing the canonical form gives the reference back', () => {
    fc.assert(
      fc.property(imageReferenceArb, (ref) => {
        expect(parseReference(formatReference(ref))).toStrictEqual(ref);
      }),
      { numRuns: 2000 },
    );
  });

  it('the familiar form parses to the same reference', () => {
    fc.assert(
      fc.property(imageReferenceArb, (ref) => {
        expect(parseReference(familiarReference(ref))).toStrictEqual(ref);
      }),
      { numRuns: 2000 },
    );
  });

  it('normalisation of written references is idempotent', () => {
    fc.assert(
      fc.property(writtenReferenceArb, (text) => {
        const canonical = formatReference(parseReference(text));
        expect(formatReference(parseReference(canonical))).toBe(canonical);
        expect(formatReference(parseReference(familiarReference(parseReference(text))))).toBe(canonical);
      }),
      { numRuns: 2000 },
    );
  });

  it('anything the parser accepts normalises to a fixed point', () => {
    fc.assert(
      fc.property(referenceishArb, (text) => {
        let canonical: string;
        try {
          canonical = formatReference(parseReference(text));
        } catch {
          return;
        }
        expect(formatReference(parseReference(canonical))).toBe(canonical);
      }),
      { numRuns: 5000 },
    );
  });

  it('arbitrary input fails only with OCI_REFERENCE_INVALID', () => {
    const inputs = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), referenceishArb);
    fc.assert(
      fc.property(inputs, (text) => {
        expectOnlyReferenceErrors(() => parseReference(text));
        expectOnlyReferenceErrors(() => parseTargetSpec(text));
        expectOnlyReferenceErrors(() => parseTargetSpec(`oci:${text}`));
      }),
      { numRuns: 5000 },
    );
  });
});
