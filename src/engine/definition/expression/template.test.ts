import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTemplate, soleExpression } from './template.js';
import { bareExpression } from './template-values.js';

describe('parseTemplate', () => {
  it('splits text and expressions, with the offset of each expression text', () => {
    expect(parseTemplate('a ${{ inputs.x }}-${{item}}')).toEqual({
      ok: true,
      segments: [
        { kind: 'text', text: 'a ', offset: 0 },
        { kind: 'expression', text: 'inputs.x', offset: 6 },
        { kind: 'text', text: '-', offset: 17 },
        { kind: 'expression', text: 'item', offset: 21 },
      ],
    });
  });

  it('does not end an expression at }} inside string or map literals', () => {
    const parsed = parseTemplate('${{ {"a": {"b": "}}"}} }}!');
    expect(parsed).toEqual({
      ok: true,
      segments: [
        { kind: 'expression', text: '{"a": {"b": "}}"}}', offset: 4 },
        { kind: 'text', text: '!', offset: 25 },
      ],
    });
    const single = parseTemplate("${{ '}}' }}");
    expect(single.ok && soleExpression(single.segments)).toEqual({
      kind: 'expression',
      text: "'}}'",
      offset: 4,
    });
  });

  it('reports unclosed and empty templates with their offsets', () => {
    expect(parseTemplate('x ${{ a')).toEqual({ ok: false, offset: 2, message: '${{ is not closed: add }}' });
    expect(parseTemplate('${{ }}')).toEqual({
      ok: false,
      offset: 0,
      message: '${{ }} is empty: write an expression inside',
    });
    expect(parseTemplate('${{ "a }}')).toEqual({
      ok: false,
      offset: 4,
      message: 'the string starting here is not closed: add "',
    });
  });

  it('returns text without ${{ as one literal segment (property)', () => {
    fc.assert(
      fc.property(
        fc.string().filter((text) => !text.includes('${{')),
        (text) => {
          const parsed = parseTemplate(text);
          expect(parsed).toEqual({
            ok: true,
            segments: text === '' ? [] : [{ kind: 'text', text, offset: 0 }],
          });
        },
      ),
    );
  });
});

describe('bareExpression', () => {
  it('accepts bare CEL or exactly one template, and refuses text around it', () => {
    expect(bareExpression(' inputs.x > 1 ')).toEqual({ text: 'inputs.x > 1', offset: 1 });
    expect(bareExpression('  ${{ inputs.x }} ')).toEqual({ text: 'inputs.x', offset: 6 });
    expect(bareExpression('a ${{ inputs.x }}')).toBeUndefined();
  });
});
