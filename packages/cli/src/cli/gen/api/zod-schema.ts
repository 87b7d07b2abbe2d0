/**
 * The one mapping from `.api` types to zod: each case yields the schema's TypeScript source (for
 * the generated `internal/types/types.ts`) and the same schema built in this process (for
 * `gen openapi`, through `z.toJSONSchema`), side by side so the two cannot drift apart.
 *
 * Go's JSON rules: integers are numbers, `[]T` arrays, `map[K]V` objects, pointers optional,
 * unknown keys ignored. Path, query (`form`) and header values arrive as text and are coerced.
 */
import { z } from 'zod';
import type { TypeExpr } from './ast.ts';
import { ApiSyntaxError } from './errors.ts';
import type { ModelField, ModelType } from './model.ts';

/** A schema as source text and as a live zod schema. */
export interface DualSchema {
  source: string;
  schema: z.ZodType;
}

/** Whether values arrive as JSON or as text (path, query, header). */
export type ValueContext = 'json' | 'text';

const INTS = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'byte', 'rune']);
const UNSIGNED = new Set(['uint', 'uint8', 'uint16', 'uint32', 'uint64', 'byte']);

/** Schema names in generated code: `OrderReq` → `OrderReqSchema`. */
export function schemaName(type: string): string {
  return `${type}Schema`;
}

/** Builds the schemas of `types` in dependency order; `schemas` maps each name to its built schema. */
export class SchemaBuilder {
  readonly schemas = new Map<string, DualSchema>();
  private readonly building = new Set<string>();

  constructor(private readonly types: Map<string, ModelType>) {}

  /** Every type's schema, each after the types it uses. */
  all(): Array<[string, DualSchema]> {
    for (const name of this.types.keys()) this.named(name, undefined);
    return [...this.schemas.entries()];
  }

  named(name: string, from: TypeExpr | undefined): DualSchema {
    const done = this.schemas.get(name);
    if (done) return { source: schemaName(name), schema: done.schema };
    const type = this.types.get(name)!;
    if (this.building.has(name)) {
      throw new ApiSyntaxError(from?.pos ?? type.pos, `type ${name} refers to itself: recursive types are not supported`);
    }
    this.building.add(name);
    const built = this.object(type.fields);
    this.building.delete(name);
    this.schemas.set(name, built);
    return { source: schemaName(name), schema: built.schema };
  }

  /** `z.object({...})` of `fields`, each read in its own context (json or text). */
  object(fields: readonly ModelField[]): DualSchema {
    const shape: Record<string, z.ZodType> = {};
    const lines: string[] = [];
    for (const f of fields) {
      const s = this.field(f);
      shape[f.prop] = s.schema;
      lines.push(`  ${propKey(f.prop)}: ${s.source},`);
    }
    return { source: lines.length === 0 ? 'z.object({})' : `z.object({\n${lines.join('\n')}\n})`, schema: z.object(shape) };
  }

  field(f: ModelField): DualSchema {
    const context: ValueContext = f.source === 'json' ? 'json' : 'text';
    const inner = f.type.kind === 'pointer' ? f.type.elem : f.type;
    let s = f.options ? this.options(inner, f, context) : this.type(inner, context);
    if (f.range) s = range(s, f);
    if (f.defaultValue !== undefined) {
      const value = defaultOf(inner, f);
      s = { source: `${s.source}.default(${JSON.stringify(value)})`, schema: (s.schema as z.ZodString).default(value as never) };
    } else if (f.type.kind === 'pointer') {
      // Go writes a nil pointer as null.
      s = { source: `${s.source}.nullable().optional()`, schema: s.schema.nullable().optional() };
    } else if (f.optional) s = { source: `${s.source}.optional()`, schema: s.schema.optional() };
    return s;
  }

  type(t: TypeExpr, context: ValueContext): DualSchema {
    switch (t.kind) {
      case 'base':
        return base(t.name, context);
      case 'any':
        return { source: 'z.unknown()', schema: z.unknown() };
      case 'ref':
        return this.named(t.name, t);
      case 'pointer': {
        const s = this.type(t.elem, context);
        return { source: `${s.source}.nullable()`, schema: s.schema.nullable() };
      }
      case 'array': {
        const s = this.type(t.elem, context);
        if (context === 'text') {
          // A query key given once arrives as a string, given twice as a list.
          const list = z.array(s.schema);
          return {
            source: `z.preprocess((v) => (Array.isArray(v) ? v : [v]), z.array(${s.source}))`,
            schema: z.preprocess((v) => (Array.isArray(v) ? v : [v]), list),
          };
        }
        return { source: `z.array(${s.source})`, schema: z.array(s.schema) };
      }
      case 'map': {
        const s = this.type(t.value, 'json');
        return { source: `z.record(z.string(), ${s.source})`, schema: z.record(z.string(), s.schema) };
      }
      case 'struct':
        return this.object(t.fields.map((f) => ({ prop: f.name ?? '', wire: f.name ?? '', source: 'json', type: f.type, optional: false, defaultValue: undefined, options: undefined, range: undefined, pos: f.pos })));
    }
  }

  private options(t: TypeExpr, f: ModelField, context: ValueContext): DualSchema {
    const values = f.options!;
    if (t.kind === 'base' && t.name === 'string') {
      return { source: `z.enum(${JSON.stringify(values)})`, schema: z.enum(values as [string, ...string[]]) };
    }
    if (t.kind === 'base' && (INTS.has(t.name) || t.name.startsWith('float'))) {
      const numbers = values.map((v) => {
        const n = Number(v);
        if (!Number.isFinite(n)) throw new ApiSyntaxError(f.pos, `option ${v} of ${f.prop} is not a number`);
        return n;
      });
      const literals = numbers.map((n) => z.literal(n));
      const union = literals.length === 1 ? literals[0]! : z.union(literals as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>]);
      const unionSource = numbers.length === 1 ? `z.literal(${numbers[0]})` : `z.union([${numbers.map((n) => `z.literal(${n})`).join(', ')}])`;
      return context === 'text'
        ? { source: `z.coerce.number().pipe(${unionSource})`, schema: z.coerce.number().pipe(union) }
        : { source: unionSource, schema: union };
    }
    throw new ApiSyntaxError(f.pos, `options= needs a string or number field, ${f.prop} is not one`);
  }
}

function base(name: string, context: ValueContext): DualSchema {
  if (name === 'string') return { source: 'z.string()', schema: z.string() };
  if (name === 'bool') return context === 'text' ? { source: 'z.stringbool()', schema: z.stringbool() } : { source: 'z.boolean()', schema: z.boolean() };
  const number = context === 'text' ? { source: 'z.coerce.number()', schema: z.coerce.number() } : { source: 'z.number()', schema: z.number() };
  if (name.startsWith('float')) return number;
  let s = { source: `${number.source}.int()`, schema: (number.schema as z.ZodNumber).int() };
  if (UNSIGNED.has(name)) s = { source: `${s.source}.nonnegative()`, schema: s.schema.nonnegative() };
  return s;
}

function range(s: DualSchema, f: ModelField): DualSchema {
  const r = f.range!;
  let source = s.source;
  let schema = s.schema as z.ZodNumber;
  if (!(schema instanceof z.ZodNumber)) throw new ApiSyntaxError(f.pos, `range= needs a number field, ${f.prop} is not one`);
  if (r.min !== undefined) {
    source += r.minExclusive ? `.gt(${r.min})` : `.min(${r.min})`;
    schema = r.minExclusive ? schema.gt(r.min) : schema.min(r.min);
  }
  if (r.max !== undefined) {
    source += r.maxExclusive ? `.lt(${r.max})` : `.max(${r.max})`;
    schema = r.maxExclusive ? schema.lt(r.max) : schema.max(r.max);
  }
  return { source, schema };
}

function defaultOf(t: TypeExpr, f: ModelField): string | number | boolean {
  const text = f.defaultValue!;
  if (t.kind !== 'base') throw new ApiSyntaxError(f.pos, `default= needs a string, number or bool field, ${f.prop} is not one`);
  if (t.name === 'string') return text;
  if (t.name === 'bool') {
    if (text !== 'true' && text !== 'false') throw new ApiSyntaxError(f.pos, `default=${text} of ${f.prop} is not true or false`);
    return text === 'true';
  }
  const n = Number(text);
  if (!Number.isFinite(n)) throw new ApiSyntaxError(f.pos, `default=${text} of ${f.prop} is not a number`);
  return n;
}

/** An object key as TypeScript source: bare when it is an identifier, quoted otherwise. */
export function propKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}
