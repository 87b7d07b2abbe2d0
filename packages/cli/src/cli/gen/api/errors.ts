import { CliRunError } from '../../errors.ts';
import type { Pos } from './ast.ts';

/** A syntax or meaning error in a `.api` file, named `file:line:col: message` as compilers do. */
export class ApiSyntaxError extends CliRunError {
  readonly pos: Pos;

  constructor(pos: Pos, message: string) {
    super(`${pos.file}:${pos.line}:${pos.col}: ${message}`);
    this.pos = pos;
  }
}
