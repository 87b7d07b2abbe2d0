/**
 * TraceQL parser: tokens → RootExpr. Hand-written Pratt parser following the precedence of
 * Tempo's expr.y (lowest first): `|`, then `&& ||`, then comparisons and structural operators,
 * then `+ -`, then unary `!`, then `* / %`, then `^` (right associative).
 *
 * Pipeline elements are parsed as one expression language whose operands are typed (spanset,
 * scalar, scalar filter...), and a binary operator is accepted only between operand types it is
 * defined on; anything else is a syntax error at the operator, as in Tempo.
 */
import type {
  Aggregate,
  MetricsAggregate,
  MetricsCompare,
  MetricsExpression,
  MetricsFn,
  MetricsPipeline,
  MetricsSecondStage,
  Query,
  AggregateFn,
  ArithmeticOp,
  Attribute,
  ComparisonOp,
  FieldBinaryOp,
  FieldExpression,
  Hint,
  Intrinsic,
  IntrinsicName,
  KindValue,
  Pipeline,
  PipelineElement,
  RootExpr,
  ScalarExpression,
  SpansetExpression,
  SpansetOp,
  Static,
  StatusValue,
} from './ast.ts';
import { TraceQLParseError, TraceQLValidationError } from './errors.ts';
import { tokenize, type Token } from './lexer.ts';

/** Parses any TraceQL query, search or metrics. Throws TraceQLParseError (with line and col) on bad syntax. */
export function parseQuery(source: string): Query {
  return new Parser(tokenize(source)).parseRoot();
}

/**
 * Parses a search query (spansets out). A metrics query parses but is refused here with a
 * message that says where it belongs.
 */
export function parse(source: string): RootExpr {
  const query = parseQuery(source);
  if (query.type === 'metricsRoot') {
    throw new TraceQLValidationError('metrics queries are not searches: ask /api/metrics/query_range or /api/metrics/query');
  }
  return query;
}

const METRICS_FNS = new Set<string>([
  'rate', 'count_over_time', 'min_over_time', 'max_over_time', 'sum_over_time', 'avg_over_time',
  'quantile_over_time', 'histogram_over_time', 'compare',
]);

const INTRINSIC_KEYWORDS: Record<string, IntrinsicName> = {
  duration: 'duration', name: 'name', status: 'status', statusMessage: 'statusMessage', kind: 'kind',
  rootName: 'rootName', rootServiceName: 'rootServiceName', traceDuration: 'traceDuration',
  childCount: 'childCount', parent: 'parent',
  nestedSetLeft: 'nestedSetLeft', nestedSetRight: 'nestedSetRight', nestedSetParent: 'nestedSetParent',
};
const STATUS_KEYWORDS = new Set(['ok', 'error', 'unset']);
const KIND_KEYWORDS = new Set(['unspecified', 'internal', 'server', 'client', 'producer', 'consumer']);
const AGGREGATES = new Set(['count', 'avg', 'min', 'max', 'sum']);
const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=']);
const STRUCTURAL = new Set(['>', '<', '>>', '<<', '~', '!~', '!>', '!<', '!>>', '!<<', '&>', '&<', '&>>', '&<<', '&~']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '^']);

/** Binding power of binary operators (higher binds tighter). */
function bindingPower(op: string): number | undefined {
  if (op === '&&' || op === '||') return 1;
  if (COMPARISONS.has(op) || STRUCTURAL.has(op) || op === '=~') return 2;
  if (op === '+' || op === '-') return 3;
  if (op === '*' || op === '/' || op === '%') return 5;
  if (op === '^') return 6;
  return undefined;
}
/** Unary `!` and `-` bind tighter than `+ -` and comparisons, looser than `* / % ^`. */
const UNARY_BP = 4;

/** `metrics` is a metrics expression; `metricsFiltered` one followed by value filters (`> 10`). */
type Kind = 'spanset' | 'filter' | 'scalar' | 'scalarPipeline' | 'operation' | 'metrics' | 'metricsFiltered';
interface Operand {
  node: PipelineElement | Static | ScalarExpression | MetricsExpression;
  kind: Kind;
  start: Token;
  /** For `metricsFiltered`: the filters that followed. */
  stages?: MetricsSecondStage[];
}

/** What a pipeline turned out to be: spansets, or time series with second stages. */
type PipelineResult =
  | { kind: 'spanset'; pipeline: Pipeline }
  | { kind: 'metrics'; expr: MetricsExpression; stages: MetricsSecondStage[] };

interface NilMarker {
  type: 'nil';
}
type FieldOrNil = FieldExpression | NilMarker;
interface FieldOperand {
  expr: FieldOrNil;
  start: Token;
}

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  parseRoot(): Query {
    const result = this.parsePipeline(false);
    const root: Query =
      result.kind === 'spanset'
        ? { type: 'root', pipeline: result.pipeline }
        : { type: 'metricsRoot', expr: result.expr, secondStage: result.stages };
    if (this.isKeyword('with')) root.hints = this.parseHints();
    if (this.peek().kind !== 'eof') this.unexpected(this.peek());
    return root;
  }

  // -- tokens --------------------------------------------------------------------

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const tok = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return tok;
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }

  private isKeyword(text: string): boolean {
    const t = this.peek();
    return t.kind === 'keyword' && t.text === text;
  }

  private expectOp(text: string, expecting?: string): Token {
    if (!this.isOp(text)) this.unexpected(this.peek(), expecting);
    return this.next();
  }

  private unexpected(tok: Token, expecting?: string): never {
    const suffix = expecting ? `, expecting ${expecting}` : '';
    throw new TraceQLParseError(`syntax error: unexpected ${display(tok)}${suffix}`, tok.line, tok.col);
  }

  // -- pipelines -----------------------------------------------------------------

  private parsePipeline(wrapped: boolean): PipelineResult {
    const elements: PipelineElement[] = [];
    const kinds: Kind[] = [];
    for (;;) {
      if (elements.length > 0 && this.peek().kind === 'keyword' && METRICS_FNS.has(this.peek().text)) {
        // `spansets | rate() ...`: the metrics function ends the spanset pipeline.
        if (kinds.some((k) => k === 'scalar' || k === 'scalarPipeline')) this.unexpected(this.peek());
        const aggregate = this.parseMetricsFunction();
        const expr: MetricsPipeline = {
          type: 'metricsPipeline',
          pipeline: { type: 'pipeline', elements },
          aggregate,
          secondStage: this.parseSecondStages(),
        };
        return { kind: 'metrics', expr, stages: [] };
      }
      const el = this.parseElement(elements.length === 0);
      if (el.kind === 'metrics' || el.kind === 'metricsFiltered') {
        // `(a | rate()) + (b | rate()) > 1 | topk(3)`: math on metrics is a whole query.
        if (elements.length > 0) this.unexpected(el.start);
        return { kind: 'metrics', expr: el.node as MetricsExpression, stages: [...(el.stages ?? []), ...this.parseSecondStages()] };
      }
      elements.push(el.node as PipelineElement);
      kinds.push(el.kind);
      if (this.isOp('|')) {
        // A bare scalar (count(), 3, ...) cannot feed further stages.
        if (el.kind === 'scalar' || el.kind === 'scalarPipeline') this.unexpected(this.peek());
        this.next();
        continue;
      }
      break;
    }
    const last = kinds[kinds.length - 1];
    if (!wrapped && (last === 'scalar' || last === 'scalarPipeline')) this.unexpected(this.peek());
    return { kind: 'spanset', pipeline: { type: 'pipeline', elements } };
  }

  // -- metrics -------------------------------------------------------------------------

  private parseMetricsFunction(): MetricsAggregate | MetricsCompare {
    const fnTok = this.next();
    this.expectOp('(');
    if (fnTok.text === 'compare') {
      const filterTok = this.peek();
      if (!this.isOp('{')) this.unexpected(filterTok, '{');
      const filter = this.parseSpansetFilter() as MetricsCompare['filter'];
      const ints: number[] = [];
      while (this.isOp(',')) {
        this.next();
        const tok = this.peek();
        if (tok.kind !== 'int') this.unexpected(tok, 'INTEGER');
        ints.push(this.next().value as number);
      }
      const close = this.peek();
      this.expectOp(')', ', or )');
      if (ints.length !== 0 && ints.length !== 1 && ints.length !== 3) this.unexpected(close, ',');
      return { type: 'compare', filter, topN: ints[0] ?? 10, start: ints[1] ?? 0, end: ints[2] ?? 0 };
    }
    const fn = fnTok.text as MetricsFn;
    const agg: MetricsAggregate = { type: 'metricsAggregate', fn, by: [] };
    if (fn !== 'rate' && fn !== 'count_over_time') {
      agg.attr = this.parseAttributeRef();
      if (fn === 'quantile_over_time') {
        agg.quantiles = [];
        do {
          this.expectOp(',');
          const tok = this.peek();
          if (tok.kind !== 'int' && tok.kind !== 'float') this.unexpected(tok, 'FLOAT or INTEGER');
          agg.quantiles.push(this.next().value as number);
        } while (this.isOp(','));
      }
    }
    this.expectOp(')');
    if (this.isKeyword('by')) {
      this.next();
      this.expectOp('(');
      for (;;) {
        agg.by.push(this.parseAttributeRef());
        if (!this.isOp(',')) break;
        this.next();
      }
      this.expectOp(')', ', or )');
    }
    return agg;
  }

  private parseAttributeRef(): Attribute | Intrinsic {
    const tok = this.peek();
    const ref = this.fieldReference(tok);
    if (!ref) this.unexpected(tok);
    this.next();
    return ref;
  }

  /** `| topk(n)`, `| bottomk(n)` and value filters (`> 10`), in any order and number. */
  private parseSecondStages(): MetricsSecondStage[] {
    const stages: MetricsSecondStage[] = [];
    for (;;) {
      const after = this.peek(1);
      if (this.isOp('|') && after.kind === 'keyword' && (after.text === 'topk' || after.text === 'bottomk')) {
        this.next();
        this.next();
        this.expectOp('(');
        const tok = this.peek();
        if (tok.kind !== 'int') this.unexpected(tok, 'INTEGER');
        this.next();
        this.expectOp(')');
        stages.push({ type: after.text, limit: tok.value as number });
        continue;
      }
      const op = this.peek();
      if (op.kind === 'op' && COMPARISONS.has(op.text)) {
        this.next();
        stages.push({ type: 'metricsFilter', op: op.text as ComparisonOp, value: this.filterValue(this.parseExpression(2)) });
        continue;
      }
      return stages;
    }
  }

  /** The number a metrics value filter compares with; a plain duration counts in seconds. */
  private filterValue(o: Operand): number {
    if (o.kind !== 'scalar') this.unexpected(o.start);
    const node = o.node as ScalarExpression;
    if (node.type === 'static' && node.valueType === 'duration') return node.value / 1e9;
    return this.foldScalar(o);
  }

  /** A constant scalar expression folded to a number as Tempo folds it (int / int truncates). */
  private foldScalar(o: Operand): number {
    const fold = (e: ScalarExpression): Static => {
      if (e.type === 'static') {
        if (e.valueType === 'duration') this.fail(o.start, 'duration cannot be used in scalar arithmetic');
        return e;
      }
      if (e.type !== 'scalarOperation') return this.unexpected(o.start);
      const l = fold(e.lhs) as Static & { value: number };
      const r = fold(e.rhs) as Static & { value: number };
      const ints = l.valueType === 'int' && r.valueType === 'int';
      let n: number;
      switch (e.op) {
        case '+': n = l.value + r.value; break;
        case '-': n = l.value - r.value; break;
        case '*': n = l.value * r.value; break;
        case '/': n = ints ? Math.trunc(l.value / r.value) : l.value / r.value; break;
        case '%': n = l.value % r.value; break;
        default: n = l.value ** r.value;
      }
      if (!Number.isFinite(n)) this.fail(o.start, 'division by zero in a constant');
      return ints ? { type: 'static', valueType: 'int', value: n } : { type: 'static', valueType: 'float', value: n };
    };
    if (o.kind !== 'scalar') this.unexpected(o.start);
    const folded = fold(o.node as ScalarExpression);
    return folded.value as number;
  }

  /** An operand of metrics arithmetic: a metrics expression or a constant. */
  private metricsOperand(o: Operand): MetricsExpression {
    if (o.kind === 'metrics') return o.node as MetricsExpression;
    if (o.kind === 'scalar') return { type: 'metricsNumber', value: this.foldScalar(o) };
    return this.unexpected(o.start);
  }

  private fail(tok: Token, reason: string): never {
    throw new TraceQLParseError(reason, tok.line, tok.col);
  }

  private parseElement(first: boolean): Operand {
    const tok = this.peek();
    if (this.isKeyword('select')) return { node: this.parseSelect(), kind: 'operation', start: tok };
    if (this.isKeyword('by')) {
      this.next();
      this.expectOp('(');
      const expr = this.parseField();
      this.expectOp(')');
      return { node: { type: 'by', expr }, kind: 'operation', start: tok };
    }
    if (this.isKeyword('coalesce')) {
      if (first) this.unexpected(tok);
      this.next();
      this.expectOp('(');
      this.expectOp(')');
      return { node: { type: 'coalesce' }, kind: 'operation', start: tok };
    }
    return this.parseExpression(0);
  }

  private parseSelect(): PipelineElement {
    this.next();
    this.expectOp('(');
    const fields: Array<Attribute | Intrinsic> = [];
    for (;;) {
      const tok = this.peek();
      const field = this.fieldReference(tok);
      if (!field) this.unexpected(tok);
      this.next();
      fields.push(field);
      if (this.isOp(',')) {
        this.next();
        continue;
      }
      this.expectOp(')', ', or )');
      return { type: 'select', fields };
    }
  }

  private parseHints(): Hint[] {
    this.next();
    this.expectOp('(');
    const hints: Hint[] = [];
    for (;;) {
      const nameTok = this.peek();
      if (nameTok.kind !== 'ident' && nameTok.kind !== 'keyword') this.unexpected(nameTok, 'IDENTIFIER');
      this.next();
      this.expectOp('=');
      const valueTok = this.peek();
      const value = this.literal(valueTok);
      if (!value) this.unexpected(valueTok);
      this.next();
      hints.push({ name: nameTok.text, value });
      if (this.isOp(',')) {
        this.next();
        continue;
      }
      this.expectOp(')', ', or )');
      return hints;
    }
  }

  // -- spanset and scalar expressions ---------------------------------------------

  private parseExpression(minBp: number, expecting?: string): Operand {
    let left = this.parseOperand(expecting);
    for (;;) {
      const opTok = this.peek();
      if (opTok.kind !== 'op') break;
      const bp = bindingPower(opTok.text);
      if (bp === undefined || bp <= minBp) break;
      this.next();
      const rightExpecting = left.kind === 'spanset' && (bp === 1 || STRUCTURAL.has(opTok.text)) ? '{ or (' : undefined;
      const right = this.parseExpression(opTok.text === '^' ? bp - 1 : bp, rightExpecting);
      left = this.combine(opTok, left, right);
    }
    return left;
  }

  private combine(opTok: Token, left: Operand, right: Operand): Operand {
    const op = opTok.text;
    const isScalar = (o: Operand) => o.kind === 'scalar' || o.kind === 'scalarPipeline';
    if (left.kind === 'metrics' || right.kind === 'metrics') {
      if (ARITHMETIC.has(op) && op !== '%' && op !== '^' && left.kind !== 'metricsFiltered' && right.kind !== 'metricsFiltered') {
        const node: MetricsExpression = {
          type: 'metricsMath',
          op: op as '+' | '-' | '*' | '/',
          lhs: this.metricsOperand(left),
          rhs: this.metricsOperand(right),
        };
        return { node, kind: 'metrics', start: left.start };
      }
    }
    if ((left.kind === 'metrics' || left.kind === 'metricsFiltered') && COMPARISONS.has(op)) {
      const stage: MetricsSecondStage = { type: 'metricsFilter', op: op as ComparisonOp, value: this.filterValue(right) };
      return { node: left.node, kind: 'metricsFiltered', start: left.start, stages: [...(left.stages ?? []), stage] };
    }
    if (left.kind === 'metrics' || left.kind === 'metricsFiltered' || right.kind === 'metrics' || right.kind === 'metricsFiltered') {
      return this.unexpected(opTok);
    }
    if (left.kind === 'spanset' && (op === '&&' || op === '||' || STRUCTURAL.has(op))) {
      if (right.kind !== 'spanset') this.unexpected(right.start, '{ or (');
      return {
        node: {
          type: 'spansetOperation',
          op: op as SpansetOp,
          lhs: left.node as SpansetExpression,
          rhs: right.node as SpansetExpression,
        },
        kind: 'spanset',
        start: left.start,
      };
    }
    if (isScalar(left) && COMPARISONS.has(op)) {
      if (!isScalar(right)) this.unexpected(right.start);
      // A comparison of constants (`3 = 2`) is no filter: Tempo's grammar wants an aggregate.
      if (!hasAggregateOrPipeline(left.node as ScalarExpression) && !hasAggregateOrPipeline(right.node as ScalarExpression)) {
        this.unexpected(opTok);
      }
      return {
        node: {
          type: 'scalarFilter',
          op: op as ComparisonOp,
          lhs: left.node as ScalarExpression,
          rhs: right.node as ScalarExpression,
        },
        kind: 'filter',
        start: left.start,
      };
    }
    if (isScalar(left) && ARITHMETIC.has(op)) {
      if (!isScalar(right)) this.unexpected(right.start);
      return {
        node: {
          type: 'scalarOperation',
          op: op as ArithmeticOp,
          lhs: left.node as ScalarExpression,
          rhs: right.node as ScalarExpression,
        },
        kind: 'scalar',
        start: left.start,
      };
    }
    return this.unexpected(opTok);
  }

  private parseOperand(expecting?: string): Operand {
    const tok = this.peek();
    if (this.isOp('{')) return { node: this.parseSpansetFilter(), kind: 'spanset', start: tok };
    if (tok.kind === 'keyword' && AGGREGATES.has(tok.text)) return { node: this.parseAggregate(), kind: 'scalar', start: tok };
    if (tok.kind === 'int' || tok.kind === 'float' || tok.kind === 'duration') {
      this.next();
      return { node: this.literal(tok)!, kind: 'scalar', start: tok };
    }
    if (this.isOp('-')) {
      const num = this.peek(1);
      if (num.kind !== 'int' && num.kind !== 'float' && num.kind !== 'duration') this.unexpected(tok, expecting);
      this.next();
      this.next();
      const value = this.literal(num) as Static & { value: number };
      return { node: { ...value, value: -value.value } as Static, kind: 'scalar', start: tok };
    }
    if (this.isOp('(')) {
      this.next();
      const inner = this.parsePipeline(true);
      const close = this.peek();
      this.expectOp(')', ') or |');
      if (inner.kind === 'metrics') {
        // Parentheses hold one metrics expression; second stages on math go outside them.
        if (inner.stages.length > 0) this.unexpected(close);
        return { node: inner.expr, kind: 'metrics', start: tok };
      }
      return this.classifyWrapped(inner.pipeline, tok, close);
    }
    return this.unexpected(tok, expecting);
  }

  /** Decides what `( ... )` was: a grouped expression, a wrapped spanset pipeline or a scalar pipeline. */
  private classifyWrapped(inner: Pipeline, start: Token, close: Token): Operand {
    const els = inner.elements;
    const last = els[els.length - 1];
    const lastIsScalar = isScalarNode(last);
    if (els.length === 1) {
      if (last.type === 'spansetFilter' || last.type === 'spansetOperation' || last.type === 'pipeline') {
        // `({ a })` is `{ a }`; a nested wrapped pipeline keeps its kind.
        if (last.type === 'pipeline' && isScalarNode(last.elements[last.elements.length - 1])) {
          return { node: last, kind: 'scalarPipeline', start };
        }
        return { node: last, kind: 'spanset', start };
      }
      if (lastIsScalar) return { node: last, kind: 'scalar', start };
      return { node: inner, kind: 'spanset', start };
    }
    if (lastIsScalar) {
      if (last.type !== 'aggregate') this.unexpected(close);
      return { node: inner, kind: 'scalarPipeline', start };
    }
    return { node: inner, kind: 'spanset', start };
  }

  private parseSpansetFilter(): PipelineElement {
    this.next();
    if (this.isOp('}')) {
      this.next();
      return { type: 'spansetFilter', expr: { type: 'static', valueType: 'bool', value: true } };
    }
    const expr = this.parseField();
    this.expectOp('}');
    return { type: 'spansetFilter', expr };
  }

  private parseAggregate(): Aggregate {
    const fn = this.next().text as AggregateFn;
    this.expectOp('(');
    if (fn === 'count') {
      this.expectOp(')');
      return { type: 'aggregate', fn };
    }
    const expr = this.parseField();
    this.expectOp(')');
    return { type: 'aggregate', fn, expr };
  }

  // -- field expressions (inside braces) ---------------------------------------------

  /** A complete field expression; a bare `nil` is not one. */
  private parseField(): FieldExpression {
    const { expr, start } = this.parseFieldExpr(0);
    if (expr.type === 'nil') this.unexpected(start);
    return expr;
  }

  private parseFieldExpr(minBp: number): FieldOperand {
    let left = this.parseFieldOperand();
    for (;;) {
      const opTok = this.peek();
      // Spanset-only operators (`>>`, `~`...) end a field expression; `>`, `<` and `!~` do not.
      const spansetOnly = STRUCTURAL.has(opTok.text) && !COMPARISONS.has(opTok.text) && opTok.text !== '!~';
      if (opTok.kind !== 'op' || spansetOnly) break;
      const bp = bindingPower(opTok.text);
      if (bp === undefined || bp <= minBp) break;
      this.next();
      const right = this.parseFieldExpr(opTok.text === '^' ? bp - 1 : bp);
      left = { expr: this.combineField(opTok, left, right), start: left.start };
    }
    return left;
  }

  private combineField(opTok: Token, left: FieldOperand, right: FieldOperand): FieldOrNil {
    const op = opTok.text as FieldBinaryOp;
    const lNil = left.expr.type === 'nil';
    const rNil = right.expr.type === 'nil';
    if (lNil || rNil) {
      // Only `x != nil` (has a value), `x = nil` (has none) and the degenerate `nil = nil` /
      // `nil != nil` are TraceQL.
      if (lNil && rNil && (op === '=' || op === '!=')) return { type: 'static', valueType: 'bool', value: false };
      const expr = (lNil ? right.expr : left.expr) as FieldExpression;
      if (op === '!=') return { type: 'exists', expr };
      if (op === '=') return { type: 'missing', expr };
      this.unexpected(lNil ? left.start : right.start);
    }
    // A bad regex is a validation error (ast-validate compiles it), as in Tempo.
    return { type: 'binary', op, lhs: left.expr as FieldExpression, rhs: right.expr as FieldExpression };
  }

  private parseFieldOperand(): FieldOperand {
    const tok = this.peek();
    if (tok.kind === 'keyword' && tok.text === 'nil') {
      this.next();
      return { expr: { type: 'nil' }, start: tok };
    }
    if (this.isOp('(')) {
      this.next();
      const inner = this.parseFieldExpr(0);
      this.expectOp(')');
      return { expr: inner.expr, start: tok };
    }
    if (this.isOp('-') || this.isOp('!')) {
      this.next();
      const operand = this.parseFieldExpr(UNARY_BP);
      if (operand.expr.type === 'nil') this.unexpected(operand.start);
      return { expr: { type: 'unary', op: tok.text as '-' | '!', expr: operand.expr }, start: tok };
    }
    const literal = this.literal(tok);
    if (literal) {
      this.next();
      return { expr: literal, start: tok };
    }
    const ref = this.fieldReference(tok);
    if (ref) {
      this.next();
      return { expr: ref, start: tok };
    }
    return this.unexpected(tok);
  }

  /** A literal token as a Static, or undefined. */
  private literal(tok: Token): Static | undefined {
    switch (tok.kind) {
      case 'string':
        return { type: 'static', valueType: 'string', value: tok.value as string };
      case 'int':
        return { type: 'static', valueType: 'int', value: tok.value as number };
      case 'float':
        return { type: 'static', valueType: 'float', value: tok.value as number };
      case 'duration':
        return { type: 'static', valueType: 'duration', value: tok.value as number };
      case 'keyword':
        if (tok.text === 'true' || tok.text === 'false') return { type: 'static', valueType: 'bool', value: tok.text === 'true' };
        if (STATUS_KEYWORDS.has(tok.text)) return { type: 'static', valueType: 'status', value: tok.text as StatusValue };
        if (KIND_KEYWORDS.has(tok.text)) return { type: 'static', valueType: 'kind', value: tok.text as KindValue };
        return undefined;
      default:
        return undefined;
    }
  }

  /** An attribute, intrinsic keyword or scoped intrinsic token as a node, or undefined. */
  private fieldReference(tok: Token): Attribute | Intrinsic | undefined {
    if (tok.kind === 'attribute') {
      return { type: 'attribute', scope: tok.scope!, parent: tok.parent ?? false, name: tok.value as string };
    }
    if (tok.kind === 'scopedIntrinsic') return { type: 'intrinsic', name: tok.intrinsic! };
    if (tok.kind === 'keyword' && tok.text in INTRINSIC_KEYWORDS) {
      return { type: 'intrinsic', name: INTRINSIC_KEYWORDS[tok.text] };
    }
    return undefined;
  }
}

function hasAggregateOrPipeline(e: ScalarExpression): boolean {
  if (e.type === 'aggregate' || e.type === 'pipeline') return true;
  if (e.type === 'scalarOperation') return hasAggregateOrPipeline(e.lhs) || hasAggregateOrPipeline(e.rhs);
  return false;
}

/** Scalars sit in a pipeline's element list only while parsing (`(count() + 1)`, `(x | count())`). */
function isScalarNode(node: { type: string } | undefined): boolean {
  return node !== undefined && (node.type === 'aggregate' || node.type === 'scalarOperation' || node.type === 'static');
}

/** How a token is named in a syntax error, as yacc names Tempo's tokens. */
function display(tok: Token): string {
  switch (tok.kind) {
    case 'eof':
      return '$end';
    case 'string':
      return 'STRING';
    case 'int':
      return 'INTEGER';
    case 'float':
      return 'FLOAT';
    case 'duration':
      return 'DURATION';
    case 'ident':
      return 'IDENTIFIER';
    case 'scopedIntrinsic':
      return tok.text.slice(0, tok.text.indexOf(':') + 1);
    default:
      return tok.text;
  }
}
