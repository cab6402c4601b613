import { describe, expect, it } from 'vitest';
import { evaluateNumber, MAX_EXPRESSION_LENGTH } from '../../src/config/expr.js';

const ok = (s: string) => {
  const r = evaluateNumber(s);
  if (!r.ok) throw new Error(`${s}: ${r.message}`);
  return r.value;
};
const refused = (s: string) => {
  const r = evaluateNumber(s);
  if (r.ok) throw new Error(`${s} evaluated to ${r.value}, expected a refusal`);
  return r.message;
};

describe('config expressions', () => {
  it('do arithmetic with the allowed functions and constants', () => {
    expect(ok('5000 * 1.2')).toBe(6000);
    expect(ok('1_000_000')).toBe(1e6);
    expect(ok('2^10 / 4')).toBe(256);
    expect(ok('max(1, 3) + min(2, 5) + sqrt(16)')).toBe(9);
    expect(ok('round(pi * 100) / 100')).toBe(3.14);
    expect(ok('7 mod 4')).toBe(3);
  });

  it.each([
    ['import({x: 1}, {override: true})', 'function import is disabled in config expressions (they cannot reach JavaScript or files)'],
    ['createUnit("tok")', 'function createUnit is disabled'],
    ['evaluate("1")', 'function evaluate is disabled'],
    ['parse("1")', 'function parse is disabled'],
    ['simplify("x")', 'function simplify is disabled'],
    ['derivative("x^2", "x")', 'function derivative is disabled'],
    ['resolve(x)', 'function resolve is disabled'],
    ['cos.constructor("return process")', 'property access (a.b, a[i]) is not allowed'],
    ['cos.constructor("return process")()', 'not a valid expression'],
    ['[].map.constructor("return this")', 'property access'],
    ['"".constructor', 'property access'],
    ['x = parse', 'assignments (x = ...) are not allowed'],
    ['f(x) = x', 'function definitions (f(x) = ...) are not allowed'],
    ['{a: 1}', 'objects are not allowed'],
    ['[1, 2]', 'array is not allowed'],
    ['a[1]', 'property access'],
    ['1:1e9', 'range is not allowed'],
    ['1 == 1 ? 2 : 3', 'is not allowed'],
    ['170!', 'operator "!" is not allowed'],
    ['10^400', 'expression evaluates to Infinity, must be a finite number'],
    ['log(0)', 'expression evaluates to -Infinity'],
    ['sqrt(-1)', 'must evaluate to a plain number'],
    ['NaN', 'must be a finite number (got "NaN")'],
    ['-Infinity', 'must be a finite number (got "-Infinity")'],
    ['5 cm', 'unknown name "cm"'],
    ['true', 'only numbers are allowed'],
    ['', 'expected a number, got an empty string'],
  ])('refuse %s', (src, message) => {
    expect(refused(src)).toContain(message);
  });

  it('limit length and size', () => {
    expect(refused('1+'.repeat(120) + '1')).toBe(`expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
    expect(refused('1+'.repeat(60) + '1')).toBe('expression has more than 100 terms');
  });

  it('leave no trace in the mathjs instance (an assignment refused is not stored)', () => {
    refused('pi = 3');
    expect(ok('pi')).toBe(Math.PI);
  });
});
