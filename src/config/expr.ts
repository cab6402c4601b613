/**
 * Numeric expressions in config files (`"5000 * 1.2"`), evaluated with mathjs in a locked
 * instance: no import, createUnit, evaluate/parse/simplify/derivative/resolve inside
 * expressions, no function or assignment definitions, no property access, bounded length.
 *
 * mathjs costs ~0.9 s to import, so plain numbers take a fast path and mathjs is loaded
 * (synchronously, once) only for a real expression.
 */
import { createRequire } from 'node:module';
import { checkNumber } from './range.js';

export type NumberResult = { ok: true; value: number } | { ok: false; message: string };

export const MAX_EXPRESSION_LENGTH = 200;

const PLAIN_NUMBER = /^\s*[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

/** Names an expression may use: arithmetic and a few pure math functions. */
const ALLOWED_FUNCTIONS = new Set([
  'add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus', 'mod',
  'sqrt', 'exp', 'log', 'log10', 'log2', 'min', 'max', 'round', 'floor', 'ceil', 'abs',
]);
const ALLOWED_CONSTANTS = new Set(['pi', 'e']);

interface MathNode {
  type: string;
  name?: string;
  fn?: MathNode | string;
  op?: string;
  value?: unknown;
  traverse(cb: (node: MathNode) => void): void;
  compile(): { evaluate(scope?: Record<string, unknown>): unknown };
}
interface MathLike {
  parse(s: string): MathNode;
}

let math: MathLike | undefined;
function getMath(): MathLike {
  if (!math) {
    const require = createRequire(import.meta.url);
    const mathjs = require('mathjs') as { create: (f: unknown, c: unknown) => MathLike & Record<string, unknown>; all: unknown };
    const m = mathjs.create(mathjs.all, { number: 'number' });
    // Keep the parser, then cut every door to JavaScript from within expressions.
    const parse = m.parse.bind(m);
    const refuse = (name: string) => () => {
      throw new Error(`function ${name} is disabled in config expressions`);
    };
    const imp = m['import'] as (o: Record<string, unknown>, opts: unknown) => void;
    imp(
      {
        import: refuse('import'),
        createUnit: refuse('createUnit'),
        evaluate: refuse('evaluate'),
        parse: refuse('parse'),
        simplify: refuse('simplify'),
        derivative: refuse('derivative'),
        resolve: refuse('resolve'),
        compile: refuse('compile'),
        reviver: refuse('reviver'),
      },
      { override: true },
    );
    math = { parse };
  }
  return math;
}

/** Most nodes (numbers, operators, calls) an expression may have: bounds evaluation time. */
export const MAX_EXPRESSION_NODES = 100;

/** Operators an expression may use (OperatorNode.fn). No factorial, comparison, bitwise or logic. */
const ALLOWED_OPERATORS = new Set(['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus', 'mod']);

/** mathjs functions that reach the parser, the type system or JavaScript: named in the message. */
const DISABLED = new Set(['import', 'createUnit', 'evaluate', 'parse', 'simplify', 'derivative', 'resolve', 'compile', 'reviver', 'chain', 'typed', 'config', 'help', 'parser', 'replacer']);

const NON_FINITE_NAMES = new Set(['NaN', 'nan', 'Infinity', 'infinity', 'inf', 'Inf', '.inf', '.nan', '-Infinity', '-inf', '-.inf']);

const SHOWN_FUNCTIONS = [...ALLOWED_FUNCTIONS].filter((f) => !ALLOWED_OPERATORS.has(f)).join(', ');

/** Why a node is refused, or undefined when it is allowed (arithmetic on numbers only). */
function checkNode(n: MathNode): string | undefined {
  switch (n.type) {
    case 'ParenthesisNode':
      return undefined;
    case 'ConstantNode':
      return typeof n.value === 'number' ? undefined : `only numbers are allowed in config expressions (got the constant ${JSON.stringify(String(n.value)).slice(0, 40)})`;
    case 'OperatorNode': {
      const fn = typeof n.fn === 'string' ? n.fn : '';
      return ALLOWED_OPERATORS.has(fn) ? undefined : `operator "${n.op ?? fn}" is not allowed in config expressions (only + - * / ^ and mod)`;
    }
    case 'FunctionNode': {
      const fn = n.fn;
      if (typeof fn === 'object' && (fn.type === 'AccessorNode' || fn.type === 'IndexNode')) return 'property access (a.b, a[i]) is not allowed in config expressions';
      const name = typeof fn === 'string' ? fn : fn?.type === 'SymbolNode' ? fn.name : undefined;
      if (name !== undefined && DISABLED.has(name)) return `function ${name} is disabled in config expressions (they cannot reach JavaScript or files)`;
      if (!name || !ALLOWED_FUNCTIONS.has(name)) return `function ${name ?? '(computed)'} is not allowed in config expressions (allowed: ${SHOWN_FUNCTIONS})`;
      return undefined;
    }
    case 'SymbolNode':
      // Function names appear as SymbolNodes under FunctionNode; those were checked above.
      if (n.name && (ALLOWED_CONSTANTS.has(n.name) || ALLOWED_FUNCTIONS.has(n.name))) return undefined;
      if (n.name && NON_FINITE_NAMES.has(n.name)) return `must be a finite number (got "${n.name}")`;
      if (n.name && DISABLED.has(n.name)) return `function ${n.name} is disabled in config expressions (they cannot reach JavaScript or files)`;
      return `unknown name "${n.name}" in expression (only numbers, + - * / ^, ${SHOWN_FUNCTIONS}, and ${[...ALLOWED_CONSTANTS].join(', ')})`;
    case 'AssignmentNode':
      return 'assignments (x = ...) are not allowed in config expressions';
    case 'FunctionAssignmentNode':
      return 'function definitions (f(x) = ...) are not allowed in config expressions';
    case 'AccessorNode':
    case 'IndexNode':
      return 'property access (a.b, a[i]) is not allowed in config expressions';
    case 'ObjectNode':
      return 'objects are not allowed in config expressions (only arithmetic on numbers)';
    case 'BlockNode':
      return 'several statements (a; b) are not allowed in config expressions';
    default:
      return `${n.type.replace(/Node$/, '').toLowerCase()} is not allowed in config expressions (only arithmetic on numbers)`;
  }
}

/** Parse a plain number, with `_` as a digit separator ("1_000_000"). */
export function parsePlainNumber(s: string): number | undefined {
  if (s.length > MAX_EXPRESSION_LENGTH || !PLAIN_NUMBER.test(s)) return undefined;
  return Number(s.replace(/_/g, '').trim());
}

/**
 * Evaluate a config expression to a finite number. Refuses anything but arithmetic on
 * numbers with the whitelisted functions; the message names the rule broken.
 * @example evaluateNumber("5000 * 1.2") // { ok: true, value: 6000 }
 */
export function evaluateNumber(src: string): NumberResult {
  // The length cap comes before any regex: a long run of spaces costs the regexes below
  // quadratic time (400,000 spaces took 73 s).
  if (src.length > MAX_EXPRESSION_LENGTH) {
    return { ok: false, message: `expression is longer than ${MAX_EXPRESSION_LENGTH} characters` };
  }
  const plain = parsePlainNumber(src);
  if (plain !== undefined) {
    const bad = checkNumber(plain);
    return bad === undefined ? { ok: true, value: plain } : { ok: false, message: bad };
  }
  if (/^\s*$/.test(src)) return { ok: false, message: 'expected a number, got an empty string' };
  if (NON_FINITE_NAMES.has(src.trim().replace(/^[-+]/, ''))) return { ok: false, message: `must be a finite number (got "${src.trim()}")` };
  let node: MathNode;
  try {
    node = getMath().parse(src);
  } catch (e) {
    return { ok: false, message: `not a valid expression: ${(e as Error).message}` };
  }
  let refused: string | undefined;
  let nodes = 0;
  node.traverse((n) => {
    nodes++;
    if (!refused) refused = checkNode(n);
  });
  if (!refused && nodes > MAX_EXPRESSION_NODES) refused = `expression has more than ${MAX_EXPRESSION_NODES} terms`;
  if (refused) return { ok: false, message: refused };
  let value: unknown;
  try {
    value = node.compile().evaluate({});
  } catch (e) {
    return { ok: false, message: `expression failed: ${(e as Error).message}` };
  }
  if (typeof value !== 'number') return { ok: false, message: 'expression must evaluate to a plain number' };
  if (!Number.isFinite(value)) return { ok: false, message: `expression evaluates to ${value}, must be a finite number` };
  const bad = checkNumber(value);
  if (bad) return { ok: false, message: `expression evaluates to ${value}: ${bad}` };
  return { ok: true, value };
}
