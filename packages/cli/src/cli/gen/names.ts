/** Case conversions shared by the generators: `GetUser` → `get-user` (files), `getUser` (functions). */

/** The words of `name`, split at case changes, `_`, `-`, `.` and spaces: `GetUserReq` → get, user, req. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/** `GetUser` → `get-user`. */
export function kebabCase(name: string): string {
  return words(name).join('-');
}

/** `get_user` → `getUser`. */
export function camelCase(name: string): string {
  const [first = '', ...rest] = words(name);
  return first + rest.map(capitalize).join('');
}

/** `get-user` → `GetUser`. */
export function pascalCase(name: string): string {
  return words(name).map(capitalize).join('');
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * The import lines of a generated module: names grouped by module, a name wanted from two
 * modules aliased (`Money as Money2`), type-only names marked `type`.
 */
export class ImportSet {
  private readonly modules = new Map<string, Map<string, { local: string; typeOnly: boolean }>>();
  private readonly locals = new Map<string, string>();

  /** Imports `name` from `module`; returns the local name to use. */
  add(module: string, name: string, typeOnly = false): string {
    let names = this.modules.get(module);
    if (names === undefined) this.modules.set(module, (names = new Map()));
    const known = names.get(name);
    if (known !== undefined) {
      known.typeOnly &&= typeOnly;
      return known.local;
    }
    let local = name;
    for (let n = 2; this.locals.has(local) && this.locals.get(local) !== `${module}#${name}`; n++) local = `${name}${n}`;
    this.locals.set(local, `${module}#${name}`);
    names.set(name, { local, typeOnly });
    return local;
  }

  /** The import statements, packages first, then relative modules, each sorted. */
  render(): string {
    const order = [...this.modules.keys()].sort((a, b) => Number(a.startsWith('.')) - Number(b.startsWith('.')) || a.localeCompare(b));
    return order
      .map((module) => {
        const entries = [...this.modules.get(module)!.entries()].sort(([a], [b]) => a.localeCompare(b));
        const allTypes = entries.every(([, e]) => e.typeOnly);
        const parts = entries.map(([name, e]) => `${!allTypes && e.typeOnly ? 'type ' : ''}${name === e.local ? name : `${name} as ${e.local}`}`);
        return `import ${allTypes ? 'type ' : ''}{ ${parts.join(', ')} } from '${module}';`;
      })
      .join('\n');
  }
}

/** Words a function may not be named in strict-mode ESM, plus names the generated code uses itself. */
const RESERVED = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with yield let static ' +
    'implements interface package private protected public await arguments eval svc req request requests server')
    .split(' '),
);

/** The function name of a method's or route's logic: `getUser`; `deleteLogic` for `Delete`. */
export function logicName(name: string): string {
  const fn = camelCase(name);
  return RESERVED.has(fn) ? `${fn}Logic` : fn;
}
