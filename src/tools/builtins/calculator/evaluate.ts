/**
 * A small arithmetic language, parsed by hand so no model output ever reaches `eval`.
 *
 *   expression := term (("+" | "-") term)*
 *   term       := unary (("*" | "/" | "%") unary)*
 *   unary      := ("-" | "+") unary | power
 *   power      := primary (("^" | "**") unary)?          right-associative; -2^2 = -4
 *   primary    := number | constant | name "(" arguments ")" | "(" expression ")"
 */

export class CalculatorError extends Error {
  override readonly name = "CalculatorError";
}

type Fn = { arity: [min: number, max: number]; apply: (...args: number[]) => number };

const FUNCTIONS: Record<string, Fn> = {
  sqrt: {
    arity: [1, 1],
    apply: (x) => {
      if (x < 0) throw new CalculatorError(`sqrt of a negative number (${x}) is not real.`);
      return Math.sqrt(x);
    },
  },
  abs: { arity: [1, 1], apply: Math.abs },
  round: {
    arity: [1, 2],
    apply: (x, digits = 0) => {
      if (!Number.isInteger(digits) || digits < 0 || digits > 15) {
        throw new CalculatorError("round(x, digits): digits must be a whole number from 0 to 15.");
      }
      const factor = 10 ** digits;
      return Math.round(x * factor) / factor;
    },
  },
  floor: { arity: [1, 1], apply: Math.floor },
  ceil: { arity: [1, 1], apply: Math.ceil },
  min: { arity: [1, Number.POSITIVE_INFINITY], apply: Math.min },
  max: { arity: [1, Number.POSITIVE_INFINITY], apply: Math.max },
  exp: { arity: [1, 1], apply: Math.exp },
  ln: { arity: [1, 1], apply: (x) => logarithm(x, Math.E, "ln") },
  log: { arity: [1, 2], apply: (x, base = 10) => logarithm(x, base, "log") },
  log2: { arity: [1, 1], apply: (x) => logarithm(x, 2, "log2") },
  log10: { arity: [1, 1], apply: (x) => logarithm(x, 10, "log10") },
  sin: { arity: [1, 1], apply: Math.sin },
  cos: { arity: [1, 1], apply: Math.cos },
  tan: { arity: [1, 1], apply: Math.tan },
};

const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

export const CALCULATOR_FUNCTIONS = Object.keys(FUNCTIONS);

function logarithm(x: number, base: number, name: string): number {
  if (x <= 0) throw new CalculatorError(`${name} of ${x} is undefined (the argument must be > 0).`);
  if (base <= 0 || base === 1) throw new CalculatorError(`log base ${base} is not allowed.`);
  return base === 10 ? Math.log10(x) : base === 2 ? Math.log2(x) : Math.log(x) / Math.log(base);
}

type Token =
  | { kind: "number"; value: number; at: number }
  | { kind: "name"; value: string; at: number }
  | { kind: "op"; value: string; at: number }
  | { kind: "end"; at: number };

const MAX_LENGTH = 1000;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index];
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    const number = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(index));
    if (number) {
      tokens.push({ kind: "number", value: Number(number[0]), at: index });
      index += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(index));
    if (name) {
      tokens.push({ kind: "name", value: name[0].toLowerCase(), at: index });
      index += name[0].length;
      continue;
    }
    if (source.startsWith("**", index)) {
      tokens.push({ kind: "op", value: "^", at: index });
      index += 2;
      continue;
    }
    if ("+-*/%^(),".includes(char)) {
      tokens.push({ kind: "op", value: char, at: index });
      index++;
      continue;
    }
    throw new CalculatorError(
      `Unexpected character "${char}" at position ${index + 1}. Use numbers, + - * / % ^, parentheses and functions like sqrt(x).`,
    );
  }
  tokens.push({ kind: "end", at: source.length });
  return tokens;
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): number {
    const value = this.expression();
    const next = this.peek();
    if (next.kind !== "end") throw this.unexpected(next);
    return value;
  }

  private peek(): Token {
    return this.tokens[this.position];
  }

  private isOp(value: string): boolean {
    const token = this.peek();
    return token.kind === "op" && token.value === value;
  }

  private expect(value: string): void {
    if (!this.isOp(value)) {
      const token = this.peek();
      throw new CalculatorError(
        `Expected "${value}" at position ${token.at + 1}${token.kind === "end" ? " (end of input)" : ""}.`,
      );
    }
    this.position++;
  }

  private unexpected(token: Token): CalculatorError {
    if (token.kind === "end") return new CalculatorError("The expression ends too early.");
    return new CalculatorError(`Unexpected "${String(token.value)}" at position ${token.at + 1}.`);
  }

  private expression(): number {
    let value = this.term();
    while (this.isOp("+") || this.isOp("-")) {
      const op = (this.tokens[this.position++] as { value: string }).value;
      const right = this.term();
      value = op === "+" ? value + right : value - right;
    }
    return value;
  }

  private term(): number {
    let value = this.unary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const op = (this.tokens[this.position++] as { value: string }).value;
      const right = this.unary();
      if ((op === "/" || op === "%") && right === 0) {
        throw new CalculatorError(op === "/" ? "Division by zero." : "Modulo by zero.");
      }
      value = op === "*" ? value * right : op === "/" ? value / right : value % right;
    }
    return value;
  }

  private unary(): number {
    if (this.isOp("-")) {
      this.position++;
      return -this.unary();
    }
    if (this.isOp("+")) {
      this.position++;
      return this.unary();
    }
    return this.power();
  }

  private power(): number {
    const base = this.primary();
    if (!this.isOp("^")) return base;
    this.position++;
    const exponent = this.unary();
    return base ** exponent;
  }

  private primary(): number {
    const token = this.peek();
    if (token.kind === "number") {
      this.position++;
      return token.value;
    }
    if (token.kind === "op" && token.value === "(") {
      this.position++;
      const value = this.expression();
      this.expect(")");
      return value;
    }
    if (token.kind === "name") {
      this.position++;
      if (this.isOp("(")) return this.call(token.value, token.at);
      if (Object.hasOwn(CONSTANTS, token.value)) return CONSTANTS[token.value];
      if (Object.hasOwn(FUNCTIONS, token.value)) {
        throw new CalculatorError(`${token.value} is a function: write ${token.value}(...).`);
      }
      throw new CalculatorError(
        `Unknown name "${token.value}" at position ${token.at + 1}. Constants: pi, e. Functions: ${CALCULATOR_FUNCTIONS.join(", ")}.`,
      );
    }
    throw this.unexpected(token);
  }

  private call(name: string, at: number): number {
    const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    if (!fn) {
      throw new CalculatorError(
        `Unknown function "${name}" at position ${at + 1}. Functions: ${CALCULATOR_FUNCTIONS.join(", ")}.`,
      );
    }
    this.expect("(");
    const args: number[] = [];
    if (!this.isOp(")")) {
      args.push(this.expression());
      while (this.isOp(",")) {
        this.position++;
        args.push(this.expression());
      }
    }
    this.expect(")");
    const [min, max] = fn.arity;
    if (args.length < min || args.length > max) {
      const expected =
        min === max
          ? `${min}`
          : max === Number.POSITIVE_INFINITY
            ? `at least ${min}`
            : `${min} or ${max}`;
      throw new CalculatorError(`${name}() takes ${expected} argument(s); got ${args.length}.`);
    }
    return fn.apply(...args);
  }
}

/** Evaluates an arithmetic expression; throws `CalculatorError` with what to fix. */
export function evaluateExpression(expression: string): number {
  if (typeof expression !== "string" || expression.trim() === "") {
    throw new CalculatorError("The expression is empty.");
  }
  if (expression.length > MAX_LENGTH) {
    throw new CalculatorError(`The expression is longer than ${MAX_LENGTH} characters.`);
  }
  const value = new Parser(tokenize(expression)).parse();
  if (!Number.isFinite(value)) {
    throw new CalculatorError(`The result is not a finite number (${value}).`);
  }
  return value;
}

/** Up to 12 significant digits, so 0.1 + 0.2 reads 0.3. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
  return String(Number(value.toPrecision(12)));
}
