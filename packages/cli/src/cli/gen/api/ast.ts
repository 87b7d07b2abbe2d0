/** The syntax tree of a go-zero `.api` file (syntax "v1"), as parser.ts builds it. */

/** Where something is in its file: 1-based line and column. */
export interface Pos {
  file: string;
  line: number;
  col: number;
}

export type TypeExpr =
  | { kind: 'base'; name: string; pos: Pos }
  | { kind: 'ref'; name: string; pos: Pos }
  | { kind: 'array'; elem: TypeExpr; pos: Pos }
  | { kind: 'map'; key: TypeExpr; value: TypeExpr; pos: Pos }
  | { kind: 'pointer'; elem: TypeExpr; pos: Pos }
  | { kind: 'any'; pos: Pos }
  | { kind: 'struct'; fields: Field[]; pos: Pos };

/** A struct field; `name` is undefined for an embedded type (`Base` alone on its line). */
export interface Field {
  name: string | undefined;
  type: TypeExpr;
  /** The raw tag between backquotes: `json:"id,optional"`. */
  tag: string | undefined;
  pos: Pos;
}

export interface TypeDecl {
  name: string;
  fields: Field[];
  pos: Pos;
}

/** One `key: value` of an `info (...)` or `@server (...)` block. */
export interface KeyValue {
  key: string;
  value: string;
  pos: Pos;
}

export interface ApiRoute {
  handler: string;
  doc: string | undefined;
  method: string;
  path: string;
  request: TypeExpr | undefined;
  response: TypeExpr | undefined;
  pos: Pos;
}

/** One `@server (...)` + `service name { ... }` pair. */
export interface ServiceBlock {
  name: string;
  server: KeyValue[];
  routes: ApiRoute[];
  pos: Pos;
}

export interface ApiFile {
  file: string;
  syntax: string | undefined;
  info: KeyValue[];
  imports: Array<{ path: string; pos: Pos }>;
  types: TypeDecl[];
  services: ServiceBlock[];
}
