/**
 * The backend's start order, derived from its module map (what each module needs running before
 * it starts) the way Tempo's module manager orders its modules from `deps`: one list to keep,
 * not a second hand-written order held in step by a test.
 */
import { codedError } from '../shared/coded-error.ts';

/** The module map names a module it does not define, or its modules depend on each other in a circle. */
export class ModuleOrderError extends codedError<'BACKEND_ERR_MODULE_ORDER'>() {
  constructor(message: string) {
    super('BACKEND_ERR_MODULE_ORDER', message);
  }
}

/**
 * Every module of `dependencies` once, each after everything it depends on. Ties keep the map's
 * own order (a module is placed as soon as its dependencies are, visiting the map's keys and then
 * each list in order), so the order reads like the map and only changes when the map does.
 *
 * @throws ModuleOrderError on a dependency that is not a key of the map, or on a cycle (the
 * message shows the circle, `a → b → a`).
 */
export function startOrder<Name extends string>(dependencies: Readonly<Record<Name, readonly NoInfer<Name>[]>>): Name[] {
  const order: Name[] = [];
  const placed = new Set<Name>();
  const visiting: Name[] = [];
  const visit = (name: Name, neededBy: Name | undefined): void => {
    if (placed.has(name)) return;
    if (!Object.hasOwn(dependencies, name)) {
      throw new ModuleOrderError(`module "${neededBy}" depends on "${name}", which is not a module (known: ${Object.keys(dependencies).join(', ')})`);
    }
    const at = visiting.indexOf(name);
    if (at >= 0) throw new ModuleOrderError(`modules depend on each other in a cycle: ${[...visiting.slice(at), name].join(' → ')}`);
    visiting.push(name);
    for (const dependency of dependencies[name]) visit(dependency, name);
    visiting.pop();
    placed.add(name);
    order.push(name);
  };
  for (const name of Object.keys(dependencies) as Name[]) visit(name, undefined);
  return order;
}
