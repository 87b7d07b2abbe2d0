/**
 * find-my-way path templates as OpenAPI path templates: `/order/:id` → `/order/{id}`,
 * `/files/*` → `/files/{*}`, `/near/:lat-:lng` → `/near/{lat}-{lng}`, `:id(^\\d+$)` keeps its
 * regular expression as the parameter's `pattern`, and `::` is a literal colon.
 */

/** A parameter of a path template, in order of appearance. */
export interface PathParam {
  name: string;
  /** The regular expression find-my-way matches the value against, if the template gives one. */
  pattern: string | undefined;
}

export interface OpenApiPath {
  path: string;
  params: PathParam[];
}

const NAME_END = new Set(['/', '-', '.', '(', ':']);

export function openApiPath(template: string): OpenApiPath {
  const params: PathParam[] = [];
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if (c === ':' && template[i + 1] === ':') {
      out += ':';
      i += 2;
    } else if (c === ':') {
      let j = i + 1;
      while (j < template.length && !NAME_END.has(template[j]!)) j++;
      const name = template.slice(i + 1, j);
      let pattern: string | undefined;
      if (template[j] === '(') {
        const end = closingParen(template, j);
        pattern = template.slice(j + 1, end);
        j = end + 1;
      }
      params.push({ name, pattern });
      out += `{${name}}`;
      i = j;
    } else if (c === '*') {
      params.push({ name: '*', pattern: undefined });
      out += '{*}';
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return { path: out, params };
}

/** The index of the `)` closing the `(` at `open`, skipping escapes and nested groups. */
function closingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  return s.length - 1;
}
