/**
 * What the service generator needs of a compiled .proto (buf's image, FileDescriptorSet as JSON):
 * its services, each method's kind, and the TypeScript name and module of each request and reply
 * as ts-proto names them (nested `Outer.Inner` → `Outer_Inner`, one module per .proto, the
 * well-known Timestamp and wrappers mapped to built-in types).
 */
import { CliRunError } from '../../errors.ts';
import { camelCase } from '../names.ts';

/** The parts of buf's JSON image read here. */
export interface ProtoImage {
  file: Array<{
    name: string;
    package?: string;
    messageType?: ProtoMessage[];
    enumType?: Array<{ name: string }>;
    service?: Array<{
      name: string;
      method?: Array<{ name: string; inputType: string; outputType: string; clientStreaming?: boolean; serverStreaming?: boolean }>;
    }>;
  }>;
}

interface ProtoMessage {
  name: string;
  nestedType?: ProtoMessage[];
}

/** How a request or reply is typed in TypeScript, and how its empty value is written. */
export type TypeRef =
  | { kind: 'message'; name: string; module: string }
  | { kind: 'builtin'; ts: string; empty: string };

export type MethodKind = 'unary' | 'server-stream' | 'client-stream' | 'bidi';

export interface ProtoMethod {
  /** As in the .proto: `GetUser`. */
  name: string;
  /** The key ts-proto gives it in the service definition and server interface: `getUser`. */
  key: string;
  kind: MethodKind;
  input: TypeRef;
  output: TypeRef;
}

export interface ProtoService {
  /** `User` */
  name: string;
  /** `user.User` */
  fullName: string;
  /** The generated definition's export: `UserService`. */
  definition: string;
  /** The module (relative to the output folder, without `.ts`) defining it: `user`. */
  module: string;
  methods: ProtoMethod[];
}

/** ts-proto's mapping of well-known types used directly as a request or reply. */
const BUILTINS: Readonly<Record<string, { ts: string; empty: string }>> = {
  '.google.protobuf.Timestamp': { ts: 'Date', empty: 'new Date(0)' },
  '.google.protobuf.DoubleValue': { ts: 'number | undefined', empty: 'undefined' },
  '.google.protobuf.FloatValue': { ts: 'number | undefined', empty: 'undefined' },
  '.google.protobuf.Int64Value': { ts: 'string | undefined', empty: 'undefined' },
  '.google.protobuf.UInt64Value': { ts: 'string | undefined', empty: 'undefined' },
  '.google.protobuf.Int32Value': { ts: 'number | undefined', empty: 'undefined' },
  '.google.protobuf.UInt32Value': { ts: 'number | undefined', empty: 'undefined' },
  '.google.protobuf.BoolValue': { ts: 'boolean | undefined', empty: 'undefined' },
  '.google.protobuf.StringValue': { ts: 'string | undefined', empty: 'undefined' },
  '.google.protobuf.BytesValue': { ts: 'Buffer | undefined', empty: 'undefined' },
  '.google.protobuf.Struct': { ts: '{ [key: string]: any } | undefined', empty: 'undefined' },
  '.google.protobuf.Value': { ts: 'any | undefined', empty: 'undefined' },
  '.google.protobuf.ListValue': { ts: 'Array<any> | undefined', empty: 'undefined' },
};

/** The services of `protoPath` (as buf names it, relative to the import root). */
export function servicesOf(image: ProtoImage, protoPath: string): ProtoService[] {
  const types = new Map<string, TypeRef>();
  for (const file of image.file) {
    const module = file.name.replace(/\.proto$/, '');
    const prefix = file.package ? `.${file.package}.` : '.';
    const visit = (messages: ProtoMessage[] | undefined, scope: string, tsScope: string) => {
      for (const message of messages ?? []) {
        const full = `${scope}${message.name}`;
        const tsName = `${tsScope}${message.name}`;
        types.set(full, BUILTINS[full] ? { kind: 'builtin', ...BUILTINS[full]! } : { kind: 'message', name: tsName, module });
        visit(message.nestedType, `${full}.`, `${tsName}_`);
      }
    };
    visit(file.messageType, prefix, '');
  }
  const file = image.file.find((f) => f.name === protoPath);
  if (file === undefined) throw new CliRunError(`the compiler's output has no ${protoPath}`);
  const typeOf = (full: string): TypeRef => {
    const found = types.get(full);
    if (found === undefined) throw new CliRunError(`${protoPath}: unknown type ${full}`);
    return found;
  };
  return (file.service ?? []).map((service) => ({
    name: service.name,
    fullName: file.package ? `${file.package}.${service.name}` : service.name,
    definition: `${service.name}Service`,
    module: protoPath.replace(/\.proto$/, ''),
    methods: (service.method ?? []).map((m) => ({
      name: m.name,
      key: camelCase(m.name),
      kind: m.clientStreaming ? (m.serverStreaming ? 'bidi' : 'client-stream') : m.serverStreaming ? 'server-stream' : 'unary',
      input: typeOf(m.inputType),
      output: typeOf(m.outputType),
    })),
  }));
}
