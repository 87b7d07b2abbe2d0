/**
 * Seeded random protobuf messages for equivalence tests, written field by field from the
 * protobufjs reflection of the schema (not from the JSON writer's own spec): every field kind,
 * values at their edges (int64 extremes, NaN/±Infinity/-0, empty and escaped strings, unicode,
 * unknown enum values), nested AnyValue arrays and kvlists, and the wire's irregularities that a
 * decoder must take in its stride: fields out of order, repeated singular fields (last wins,
 * messages merge), several oneof members, explicit defaults, unknown fields of every wire type.
 */
import protobuf from 'protobufjs';
import { createRng } from '../../../../../../test/lib/random.ts';

/** How irregular the generated wire bytes are. */
export interface RandomTraceOptions {
  /** Chance that a message's fields are shuffled, a singular field repeated, an unknown field added. */
  irregularity?: number;
  /** How deep AnyValue arrays and kvlists nest at most. */
  maxValueDepth?: number;
  /** How many elements a repeated field gets at most (spans, attributes...). */
  maxRepeat?: number;
}

const STRINGS = [
  '',
  'GET /api/order/:id',
  'order',
  'a "quoted" value',
  'back\\slash',
  'line\nbreak\ttab\rcr',
  '\u0000\u0001\u001f\u007f',
  'sep\u2028para\u2029end',
  '\ufeffbom first',
  'héllo wörld',
  '日本語のテキスト',
  'emoji 🚀🔥 pair',
  '</script><script>alert(1)</script>',
  'x'.repeat(47),
  'y'.repeat(48),
  'long '.repeat(30),
  'long with "quote" after sixty-four bytes of plain ascii text here... "q"',
  'ünïcödé '.repeat(12),
];

const INT64 = ['0', '1', '-1', '42', '9007199254740991', '9007199254740993', '-9007199254740993', '9223372036854775807', '-9223372036854775808', '4294967296', '-4294967296', '2097152', '-2097153'];
const UINT64 = ['0', '1', '1700000000000000000', '9007199254740993', '18446744073709551615', '9223372036854775808', '4294967295', '4294967296', '9007199254740992000'];
const DOUBLES = [0, -0, 1.5, -2.25, NaN, Infinity, -Infinity, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, 0.1 + 0.2, 123456789012345680000];
const UINT32 = [0, 1, 7, 128, 300, 65535, 2 ** 31, 4294967295];

/** Random encoded messages of one protobufjs type. */
export class RandomMessages {
  private readonly random: () => number;
  private readonly irregularity: number;
  private readonly maxValueDepth: number;
  private readonly maxRepeat: number;

  constructor(seed: number, options: RandomTraceOptions = {}) {
    this.random = createRng(seed).next;
    this.irregularity = options.irregularity ?? 0.15;
    this.maxValueDepth = options.maxValueDepth ?? 3;
    this.maxRepeat = options.maxRepeat ?? 4;
  }

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }

  private pick<T>(values: readonly T[]): T {
    return values[this.int(values.length)]!;
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  /** The encoding of one random `type` message. */
  message(type: protobuf.Type, valueDepth = 0): Uint8Array {
    const parts: Uint8Array[] = [];
    const oneofDone = new Set<string>();
    for (const field of type.fieldsArray) {
      field.resolve();
      if (field.partOf) {
        // One member of the oneof, sometimes none, sometimes two (the decoder keeps the last).
        if (oneofDone.has(field.partOf.name)) continue;
        oneofDone.add(field.partOf.name);
        const members = field.partOf.fieldsArray;
        const count = this.chance(0.05) ? 0 : this.chance(this.irregularity) ? 2 : 1;
        for (let i = 0; i < count; i++) {
          const member = this.pick(members);
          member.resolve();
          parts.push(this.field(member, valueDepth));
        }
        continue;
      }
      if (field.repeated) {
        const n = this.int(this.maxRepeat + 1);
        for (let i = 0; i < n; i++) parts.push(this.field(field, valueDepth));
        continue;
      }
      if (this.chance(0.25)) continue; // absent
      parts.push(this.field(field, valueDepth));
      if (this.chance(this.irregularity / 2)) parts.push(this.field(field, valueDepth)); // seen twice
    }
    if (this.chance(this.irregularity)) parts.push(this.unknownField(type));
    if (this.chance(this.irregularity)) this.shuffle(parts);
    return concat(parts);
  }

  private shuffle<T>(items: T[]): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
  }

  /** One occurrence of `field` (tag and value). */
  private field(field: protobuf.Field, valueDepth: number): Uint8Array {
    const w = protobuf.Writer.create();
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) {
      const nested = resolved.name === 'AnyValue' ? valueDepth + 1 : valueDepth;
      const body =
        nested > this.maxValueDepth && (resolved.name === 'AnyValue' || resolved.name === 'ArrayValue' || resolved.name === 'KeyValueList')
          ? new Uint8Array(0)
          : this.message(resolved, nested);
      w.uint32((field.id << 3) | 2).bytes(body);
      return w.finish();
    }
    if (resolved instanceof protobuf.Enum) {
      const value = this.chance(0.8) ? this.pick(Object.values(resolved.values)) : this.pick([7, 99, -1, -2147483648]);
      w.uint32(field.id << 3).int32(value);
      return w.finish();
    }
    switch (field.type) {
      case 'string':
        w.uint32((field.id << 3) | 2).string(this.pick(STRINGS));
        break;
      case 'bytes': {
        const bytes = new Uint8Array(this.pick([0, 1, 2, 3, 8, 16, 17, 40]));
        for (let i = 0; i < bytes.length; i++) bytes[i] = this.int(256);
        w.uint32((field.id << 3) | 2).bytes(bytes);
        break;
      }
      case 'bool':
        w.uint32(field.id << 3).bool(this.chance(0.5));
        break;
      case 'uint32':
        w.uint32(field.id << 3).uint32(this.chance(0.5) ? this.pick(UINT32) : this.int(2 ** 32));
        break;
      case 'fixed32':
        w.uint32((field.id << 3) | 5).fixed32(this.chance(0.5) ? this.pick(UINT32) : this.int(2 ** 32));
        break;
      case 'fixed64':
        w.uint32((field.id << 3) | 1).fixed64(this.chance(0.5) ? this.pick(UINT64) : this.randomUint64());
        break;
      case 'int64':
        w.uint32(field.id << 3).int64(this.chance(0.5) ? this.pick(INT64) : this.randomInt64());
        break;
      case 'uint64':
        w.uint32(field.id << 3).uint64(this.chance(0.5) ? this.pick(UINT64) : this.randomUint64());
        break;
      case 'double':
        w.uint32((field.id << 3) | 1).double(this.chance(0.6) ? this.pick(DOUBLES) : (this.random() - 0.5) * 10 ** this.int(30));
        break;
      default:
        throw new Error(`the generator has no values for ${field.type}`);
    }
    return w.finish();
  }

  private randomUint64(): string {
    return ((BigInt(this.int(2 ** 32)) << 32n) | BigInt(this.int(2 ** 32))).toString();
  }

  private randomInt64(): string {
    return BigInt.asIntN(64, BigInt(this.randomUint64())).toString();
  }

  /**
   * A field number the type does not declare, with a value of any wire type; or a declared one
   * with the wrong wire type, which decoders skip the same way.
   */
  private unknownField(type: protobuf.Type): Uint8Array {
    let number = this.pick([17, 99, 1000, 5000, 536870911]);
    while (type.fieldsById[number]) number++;
    const tag = (wireType: number): number => ((number << 3) | wireType) >>> 0;
    const w = protobuf.Writer.create();
    switch (this.int(6)) {
      case 0:
        w.uint32(tag(0)).uint64('18446744073709551615');
        break;
      case 1:
        w.uint32(tag(1)).fixed64('12345');
        break;
      case 2:
        w.uint32(tag(2)).string('unknown "field"');
        break;
      case 3: // a group with a nested group inside
        w.uint32(tag(3)).uint32((1 << 3) | 0).uint32(5).uint32((2 << 3) | 3).uint32((2 << 3) | 4).uint32(tag(4));
        break;
      case 4: {
        const declared = this.pick(type.fieldsArray);
        declared.resolve();
        const lengthDelimited = declared.resolvedType instanceof protobuf.Type || ['string', 'bytes'].includes(declared.type);
        if (lengthDelimited) w.uint32(declared.id << 3).uint32(3);
        else w.uint32((declared.id << 3) | 2).string('wrong wire type');
        break;
      }
      default:
        w.uint32(tag(5)).fixed32(7);
    }
    return w.finish();
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}
