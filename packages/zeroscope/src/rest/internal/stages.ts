import { context, type Context as OtelContext } from '@opentelemetry/api';
import type { Dispatch, Middleware, RequestContext, RouteInfo } from '../context.ts';
import { runNext } from './run-next.ts';

/**
 * A built-in middleware's per-request work, split around the steps inside it: `enter` before them,
 * `exit` once they are done. Built once per route. Consecutive stages of a chain run as one step
 * ({@link runStages}) with a single reaction on the inner steps' promise, where middleware each
 * wrapping `next` made one promise per layer (plus the timeout's own): while tracing is on, Node 20
 * runs an async-hooks init for every promise and AsyncLocalStorage copies its context onto it.
 */
export interface Stage {
  /**
   * Before the steps inside. What it returns comes back to `exit`. Throwing refuses the request:
   * the stages inside never start and those outside exit with the thrown error.
   */
  enter(ctx: RequestContext, run: StageRun, index: number): unknown;
  /**
   * After the steps inside ended, with the outcome in `run.failed`/`run.error` (which it may
   * replace). Returns false when the outcome goes no further (the request was answered already).
   */
  exit(state: unknown, ctx: RequestContext, run: StageRun, index: number): boolean | void;
}

/** Builds a middleware's stage for one route; undefined when it has nothing to do there. */
export type StageFactory = (route: RouteInfo) => Stage | undefined;

const kStage = Symbol('zeroscope.rest.stage');

/** A middleware that can also run as a stage (every built-in that waits for the steps inside). */
export interface StagedMiddleware extends Middleware {
  [kStage]: StageFactory;
}

/** The stage form of `middleware`, if it has one. */
export function stageOf(middleware: Middleware): StageFactory | undefined {
  return (middleware as Partial<StagedMiddleware>)[kStage];
}

/**
 * A middleware made of a stage: alone (a user's `server.use(...)`, a test) it runs as a one-stage
 * group; in a chain, composeChain fuses it with its staged neighbours.
 */
export function stagedMiddleware(name: string, factory: StageFactory, dispatchName = `${name}Stage`): StagedMiddleware {
  const middleware = {
    [name](next: Dispatch, route: RouteInfo): Dispatch {
      const stage = factory(route);
      if (stage === undefined) return next;
      // Named for profiles and stack traces.
      return Object.defineProperty(nestedStages([stage], next), 'name', { value: dispatchName });
    },
  }[name] as StagedMiddleware;
  middleware[kStage] = factory;
  return middleware;
}

/** Stages run as a step inside others: a promise that settles with the outcome of the outermost stage. */
export function nestedStages(stages: readonly Stage[], next: Dispatch): Dispatch {
  return function stages_(ctx) {
    return new Promise<void>((resolve, reject) => {
      new StageRun(stages, next, ctx, (run) => (run.failed ? reject(run.error) : resolve())).start(0);
    });
  };
}

/**
 * Stages run as the outermost step: the outcome goes to `finish` instead of a promise (the server
 * ignores the outermost step's promise), so the whole group costs one reaction per request.
 */
export function outermostStages(stages: readonly Stage[], next: Dispatch, finish: (run: StageRun) => void): Dispatch {
  return function stages_(ctx) {
    new StageRun(stages, next, ctx, finish).start(0);
    return DONE_VOID;
  };
}

const DONE_VOID: Promise<void> = Promise.resolve();

/** One request going through a group of stages. */
export class StageRun {
  /** Whether the request failed, and with what (as a rejection would carry it). */
  failed = false;
  error: unknown = undefined;
  /** The OpenTelemetry context the stages inside and the steps after them run in (the tracing stage sets it). */
  activeContext: OtelContext | undefined = undefined;
  private readonly states: unknown[];
  /** Stages [0, entered) started and have yet to exit. */
  private entered = 0;
  /** The stage that answered early (a deadline), so the inner outcome stops there; -1 while none did. */
  private answeredAt = -1;

  constructor(
    private readonly stages: readonly Stage[],
    private readonly next: Dispatch,
    readonly ctx: RequestContext,
    private readonly finish: (run: StageRun) => void,
  ) {
    this.states = new Array<unknown>(stages.length);
  }

  /** Enters the stages from `from` inward, then runs the steps inside them. */
  start(from: number): void {
    const { stages, ctx } = this;
    for (let i = from; i < stages.length; i++) {
      const before = this.activeContext;
      try {
        this.states[i] = stages[i].enter(ctx, this, i);
      } catch (err) {
        this.failed = true;
        this.error = err;
        this.exitFrom(i);
        return;
      }
      this.entered = i + 1;
      // The rest (stages inside, the inner steps and the reaction that exits) runs in that context.
      if (this.activeContext !== before) {
        context.with(this.activeContext!, this.start, this, i + 1);
        return;
      }
    }
    runNext(this.next, ctx).then(this.innerDone, this.innerFailed);
  }

  /**
   * Stage `index` answers now (its deadline passed) with `error`: the stages outside it exit at
   * once; when the steps inside end later, their outcome goes no further than that stage.
   */
  answerEarly(index: number, error: unknown): void {
    if (this.answeredAt !== -1) return;
    this.answeredAt = index;
    this.failed = true;
    this.error = error;
    if (this.activeContext === undefined) this.exitFrom(index);
    else context.with(this.activeContext, this.exitFrom, this, index);
    // The inner steps are still running: the stages inside see their own outcome when they end.
    this.failed = false;
    this.error = undefined;
  }

  /** Whether stage `index` already answered the request ({@link answerEarly}). */
  answeredBy(index: number): boolean {
    return this.answeredAt === index;
  }

  private readonly innerDone = (): void => {
    this.exitFrom(this.entered);
  };

  private readonly innerFailed = (err: unknown): void => {
    this.failed = true;
    this.error = err;
    this.exitFrom(this.entered);
  };

  /** Exits the stages below `end`, innermost first, then finishes; stops at a stage that says so. */
  private exitFrom(end: number): void {
    const { stages, states, ctx } = this;
    for (let i = end - 1; i >= 0; i--) {
      let goOn: boolean | void = true;
      try {
        goOn = stages[i].exit(states[i], ctx, this, i);
      } catch (err) {
        // As a throwing `.then` callback would: the failure replaces the outcome.
        this.failed = true;
        this.error = err;
      }
      if (goOn === false) return;
    }
    this.finish(this);
  }
}
