/**
 * zod → JSON Schema 2020-12 (the dialect OpenAPI 3.1 uses) through zod's own `z.toJSONSchema`,
 * with every `$defs` entry moved into the document's `components.schemas`: schemas given an id
 * (`.meta({ id: 'Order' })`, or a registry's) keep it as their component name; recursive
 * schemas zod names `__schemaN` get a name unique in the document.
 */
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/** Where a zod schema's id and description come from (`z.globalRegistry` unless told). */
export type SchemaMetadata = z.core.$ZodRegistry<Record<string, unknown>>;

const COMPONENT_PREFIX = '#/components/schemas/';

export class Components {
  readonly schemas: Record<string, JsonSchema> = {};
  private anonymous = 0;

  /** Names this document writes itself (`RestError`): a user schema of that id gets another. */
  private readonly reserved = new Set<string>();

  constructor(private readonly metadata: SchemaMetadata) {}

  /** Adds a component of the document's own under `name`. */
  define(name: string, schema: JsonSchema): void {
    this.schemas[name] = schema;
    this.reserved.add(name);
  }

  /**
   * `schema` as JSON Schema: `io: 'input'` for what a client sends (defaults make a field
   * optional), `'output'` for what it receives. Types with no JSON form (dates, bigints,
   * transforms' outputs) become `{}` rather than failing the whole document.
   */
  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', metadata: this.metadata, unrepresentable: 'any', io, cycles: 'ref', reused: 'inline' }) as JsonSchema;
    delete json.$schema;
    const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
    delete json.$defs;
    const names = new Map<string, string>();
    for (const id of Object.keys(defs)) names.set(id, this.nameFor(id, io));
    // A schema that contains itself refers to its root as `#`, which in the document would be
    // the whole document: such a root becomes a component of its own.
    const root = hasRootRef(json) ? `Schema${++this.anonymous}` : undefined;
    if (root !== undefined) names.set('#', root);
    const rewritten = rewriteRefs(json, names) as JsonSchema;
    for (const [id, def] of Object.entries(defs)) {
      const name = names.get(id)!;
      this.schemas[name] ??= rewriteRefs(def, names) as JsonSchema;
    }
    if (root === undefined) return rewritten;
    this.schemas[root] = rewritten;
    return componentRef(root);
  }

  /** `ref`'s target when it points at a component, else `schema` itself. */
  resolve(schema: JsonSchema): JsonSchema {
    const ref = schema.$ref;
    if (typeof ref === 'string' && ref.startsWith(COMPONENT_PREFIX)) {
      return this.schemas[ref.slice(COMPONENT_PREFIX.length)] ?? schema;
    }
    return schema;
  }

  /**
   * A named schema converted both ways may differ (a default makes a field optional on input,
   * required on output), so the id goes to the first direction and the other gets a suffix.
   */
  private nameFor(id: string, io: 'input' | 'output'): string {
    if (/^__schema\d+$/.test(id)) return `Schema${++this.anonymous}`;
    if (this.reserved.has(id)) return this.nameFor(`${id}_`, io);
    const taken = this.ioOf.get(id);
    if (taken === undefined || taken === io) {
      this.ioOf.set(id, io);
      return id;
    }
    return io === 'input' ? `${id}Input` : `${id}Output`;
  }

  private readonly ioOf = new Map<string, 'input' | 'output'>();
}

export function componentRef(name: string): JsonSchema {
  return { $ref: COMPONENT_PREFIX + name };
}

function rewriteRefs(value: unknown, names: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, names));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === '$ref' && v === '#') {
      out[key] = COMPONENT_PREFIX + names.get('#')!;
    } else if (key === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')) {
      const id = v.slice('#/$defs/'.length);
      out[key] = COMPONENT_PREFIX + (names.get(id) ?? id);
    } else out[key] = rewriteRefs(v, names);
  }
  return out;
}

function hasRootRef(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasRootRef);
  if (value === null || typeof value !== 'object') return false;
  for (const [key, v] of Object.entries(value)) {
    if ((key === '$ref' && v === '#') || hasRootRef(v)) return true;
  }
  return false;
}
