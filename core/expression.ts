/**
 * pytest's match expressions, as `-k` and `-m` take them:
 *
 * ```text
 * expression: expr? EOF
 * expr:       and_expr ('or' and_expr)*
 * and_expr:   not_expr ('and' not_expr)*
 * not_expr:   'not' not_expr | '(' expr ')' | ident kwargs?
 * ident:      (\w|:|\+|-|\.|\[|\]|\\|/)+
 * kwargs:     '(' name '=' value (',' name '=' value)* ')'
 * value:      'string' | "string" | -?[0-9]+ | True | False | None
 * ```
 *
 * An empty expression is false. What an identifier means is up to the
 * caller's matcher: `-k` matches substrings of keywords, `-m` mark names
 * (and, with `name(key=value)`, the mark's keyword arguments).
 */

/** A keyword argument value in `-m "name(key=value)"`. */
export type ExpressionValue = string | number | boolean | null;

/** Decides what one identifier (with its optional keyword arguments) means. */
export type ExpressionMatcher = (name: string, kwargs?: Record<string, ExpressionValue>) => boolean;

type Node =
  | { kind: "false" }
  | { kind: "ident"; name: string; kwargs: Record<string, ExpressionValue> | null }
  | { kind: "not"; operand: Node }
  | { kind: "and" | "or"; operands: Node[] };

/** A malformed expression: pytest's wording, with the 1-based column. */
export class ExpressionError extends Error {
  constructor(
    readonly input: string,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${input}: at column ${column}: ${reason}`);
  }
}

/** A compiled match expression. */
export interface Expression {
  readonly input: string;
  evaluate(matcher: ExpressionMatcher): boolean;
}

type TokenType = "(" | ")" | "or" | "and" | "not" | "ident" | "eof" | "=" | "string" | ",";

interface Token {
  type: TokenType;
  value: string;
  pos: number;
}

// Names as pytest prints them in "expected X; got Y".
const tokenNames: Record<TokenType, string> = {
  "(": "left parenthesis",
  ")": "right parenthesis",
  or: "or",
  and: "and",
  not: "not",
  ident: "identifier",
  eof: "end of input",
  "=": "=",
  string: "string literal",
  ",": ",",
};

const identPattern = /^(?:[\p{L}\p{N}_]|[:+\-.[\]\\/])+/u;
const punctuation: Record<string, TokenType> = { "(": "(", ")": ")", "=": "=", ",": "," };
// Python's reserved words: not allowed as keyword argument names.
const pythonKeywords = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(
    " ",
  ),
);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < input.length) {
    const char = input[pos]!;
    if (char === " " || char === "\t") {
      pos += 1;
    } else if (punctuation[char]) {
      tokens.push({ type: punctuation[char]!, value: char, pos });
      pos += 1;
    } else if (char === "'" || char === '"') {
      const end = input.indexOf(char, pos + 1);
      if (end < 0) throw new ExpressionError(input, pos + 1, `closing quote "${char}" is missing`);
      // pytest looks for a backslash anywhere in the input, not only in the string.
      const backslash = input.indexOf("\\");
      if (backslash >= 0) throw new ExpressionError(input, backslash + 1, 'escaping with "\\" not supported in marker expression');
      tokens.push({ type: "string", value: input.slice(pos, end + 1), pos });
      pos = end + 1;
    } else {
      const match = identPattern.exec(input.slice(pos));
      if (!match) throw new ExpressionError(input, pos + 1, `unexpected character "${char}"`);
      const value = match[0];
      const type: TokenType = value === "or" || value === "and" || value === "not" ? value : "ident";
      tokens.push({ type, value, pos });
      pos += value.length;
    }
  }
  tokens.push({ type: "eof", value: "", pos });
  return tokens;
}

/** Deeper nesting of `not` and parentheses is refused (pytest hits Python's recursion limit near here). */
const maxNesting = 500;

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly input: string,
    private readonly tokens: Token[],
  ) {}

  private get current(): Token {
    return this.tokens[this.index]!;
  }

  accept(type: TokenType): Token | null {
    const token = this.current;
    if (token.type !== type) return null;
    if (type !== "eof") this.index += 1;
    return token;
  }

  expect(type: TokenType): Token {
    return this.accept(type) ?? this.reject([type]);
  }

  reject(expected: TokenType[]): never {
    const wanted = expected.map((type) => tokenNames[type]).join(" OR ");
    throw new ExpressionError(this.input, this.current.pos + 1, `expected ${wanted}; got ${tokenNames[this.current.type]}`);
  }

  expression(): Node {
    if (this.accept("eof")) return { kind: "false" };
    const node = this.or();
    this.expect("eof");
    return node;
  }

  // Chains of `and`/`or` are kept flat, so a long chain costs no stack depth.
  private or(): Node {
    const operands = [this.and()];
    while (this.accept("or")) operands.push(this.and());
    return operands.length === 1 ? operands[0]! : { kind: "or", operands };
  }

  private and(): Node {
    const operands = [this.not()];
    while (this.accept("and")) operands.push(this.not());
    return operands.length === 1 ? operands[0]! : { kind: "and", operands };
  }

  private not(): Node {
    const token = this.current;
    if (token.type === "not" || token.type === "(") {
      if (++this.depth > maxNesting) {
        throw new ExpressionError(this.input, token.pos + 1, `more than ${maxNesting} nested "not" or parentheses`);
      }
      this.index += 1;
      let node: Node;
      if (token.type === "not") node = { kind: "not", operand: this.not() };
      else {
        node = this.or();
        this.expect(")");
      }
      this.depth -= 1;
      return node;
    }
    const ident = this.accept("ident");
    if (!ident) return this.reject(["not", "(", "ident"]);
    let kwargs: Record<string, ExpressionValue> | null = null;
    if (this.accept("(")) {
      // No prototype: a keyword named `__proto__` or `constructor` is an ordinary key.
      kwargs = Object.create(null) as Record<string, ExpressionValue>;
      do {
        const [name, value] = this.kwarg();
        kwargs[name] = value;
      } while (this.accept(","));
      this.expect(")");
    }
    return { kind: "ident", name: ident.value, kwargs };
  }

  private kwarg(): [string, ExpressionValue] {
    const name = this.expect("ident");
    if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name.value)) {
      throw new ExpressionError(this.input, name.pos + 1, `not a valid python identifier ${name.value}`);
    }
    if (pythonKeywords.has(name.value)) {
      throw new ExpressionError(this.input, name.pos + 1, `unexpected reserved python keyword \`${name.value}\``);
    }
    this.expect("=");
    const quoted = this.accept("string");
    if (quoted) return [name.value, quoted.value.slice(1, -1)];
    const token = this.expect("ident");
    const text = token.value;
    if (/^-?[0-9]+$/.test(text)) return [name.value, Number(text)];
    if (text === "True") return [name.value, true];
    if (text === "False") return [name.value, false];
    if (text === "None") return [name.value, null];
    throw new ExpressionError(this.input, token.pos + 1, `unexpected character/s "${text}"`);
  }
}

function evaluate(node: Node, matcher: ExpressionMatcher): boolean {
  switch (node.kind) {
    case "false":
      return false;
    case "ident":
      return node.kwargs ? matcher(node.name, node.kwargs) : matcher(node.name);
    case "not":
      return !evaluate(node.operand, matcher);
    case "and":
      return node.operands.every((operand) => evaluate(operand, matcher));
    case "or":
      return node.operands.some((operand) => evaluate(operand, matcher));
  }
}

/** Parse a match expression; throws {@link ExpressionError} when it is malformed. */
export function compileExpression(input: string): Expression {
  const root = new Parser(input, tokenize(input)).expression();
  return { input, evaluate: (matcher) => evaluate(root, matcher) };
}
