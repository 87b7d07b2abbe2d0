import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, describe, test } from 'node:test';
import { context, createContextKey } from '@opentelemetry/api';
import { installTestTracer } from '../../trace/testing/index.ts';
import { type Dispatch, RequestContext } from '../context.ts';
import { nestedStages, outermostStages, type Stage, type StageRun } from './stages.ts';

// The AsyncLocalStorage context manager, as when tracing is on.
const tracing = installTestTracer('stages');
after(() => tracing.shutdown());

const route = { method: 'GET', path: '/s', timeout: undefined };
const newCtx = () => new RequestContext({ headers: {} } as IncomingMessage, {} as ServerResponse, '/s', route, {}, {});
const KEY = createContextKey('stage test');

/** A stage that logs what it sees; `refuse` throws in enter, `replace` swaps the error in exit. */
function logging(name: string, log: string[], opts: { refuse?: unknown; replace?: unknown; throwInExit?: unknown } = {}): Stage {
  return {
    enter() {
      log.push(`>${name}`);
      if ('refuse' in opts) throw opts.refuse;
      return name.toUpperCase();
    },
    exit(state, _ctx, run) {
      log.push(`<${name}:${String(state)}:${run.failed ? `failed ${String(run.error)}` : 'ok'}:${String(context.active().getValue(KEY))}`);
      if ('throwInExit' in opts) throw opts.throwInExit;
      if ('replace' in opts && run.failed) run.error = opts.replace;
    },
  };
}

function finished(): { finish: (run: StageRun) => void; outcome: Promise<{ failed: boolean; error: unknown }> } {
  let finish!: (run: StageRun) => void;
  const outcome = new Promise<{ failed: boolean; error: unknown }>((resolve) => (finish = (run) => resolve({ failed: run.failed, error: run.error })));
  return { finish, outcome };
}

describe('stages', () => {
  test('enter outermost first, exit innermost first, with the outcome each inner stage left', async () => {
    const log: string[] = [];
    const inner: Dispatch = async () => {
      log.push('inner');
      throw 'boom';
    };
    const { finish, outcome } = finished();
    await outermostStages([logging('a', log), logging('b', log, { replace: 'converted' })], inner, finish)(newCtx());
    assert.deepEqual(await outcome, { failed: true, error: 'converted' });
    assert.deepEqual(log, ['>a', '>b', 'inner', '<b:B:failed boom:undefined', '<a:A:failed converted:undefined']);
  });

  test('a stage that refuses: the stages inside and the inner step never run, those outside exit with its error', async () => {
    const log: string[] = [];
    let ran = false;
    const { finish, outcome } = finished();
    outermostStages([logging('a', log), logging('b', log, { refuse: 'full' }), logging('c', log)], async () => void (ran = true), finish)(newCtx());
    assert.deepEqual(await outcome, { failed: true, error: 'full' });
    assert.equal(ran, false);
    assert.deepEqual(log, ['>a', '>b', '<a:A:failed full:undefined']);
  });

  test('the context a stage sets is active for the stages inside, the inner step and every exit', async () => {
    const log: string[] = [];
    const setting: Stage = {
      enter(_ctx, run) {
        run.activeContext = context.active().setValue(KEY, 'span');
      },
      exit() {},
    };
    let seen: unknown;
    const inner: Dispatch = async () => {
      await new Promise((resolve) => setImmediate(resolve));
      seen = context.active().getValue(KEY);
    };
    const { finish, outcome } = finished();
    outermostStages([logging('a', log), setting, logging('b', log)], inner, finish)(newCtx());
    assert.deepEqual(await outcome, { failed: false, error: undefined });
    assert.equal(seen, 'span');
    assert.deepEqual(log, ['>a', '>b', '<b:B:ok:span', '<a:A:ok:span']);
  });

  test('answerEarly: the stages outside exit at once; the late inner outcome reaches the stages inside only', async () => {
    const log: string[] = [];
    let finishInner!: () => void;
    const inner: Dispatch = () => new Promise<void>((_, reject) => (finishInner = () => reject('late')));
    let answer!: () => void;
    const deadline: Stage = {
      enter(_ctx, run, index) {
        answer = () => run.answerEarly(index, 'timed out');
      },
      exit(_state, _ctx, run, index) {
        log.push(`<deadline:${run.failed ? String(run.error) : 'ok'}`);
        return !run.answeredBy(index);
      },
    };
    const { finish, outcome } = finished();
    let finishes = 0;
    outermostStages([logging('a', log), deadline, logging('b', log, { replace: 'converted' })], inner, (run) => {
      finishes++;
      finish(run);
    })(newCtx());
    answer();
    assert.deepEqual(await outcome, { failed: true, error: 'timed out' });
    assert.deepEqual(log, ['>a', '>b', '<a:A:failed timed out:undefined']);
    finishInner();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(log.slice(3), ['<b:B:failed late:undefined', '<deadline:converted']);
    assert.equal(finishes, 1);
  });

  test('an exit that throws replaces the outcome, as a throwing .then callback would', async () => {
    const log: string[] = [];
    const { finish, outcome } = finished();
    outermostStages([logging('a', log), logging('b', log, { throwInExit: 'exit failed' })], async () => {}, finish)(newCtx());
    assert.deepEqual(await outcome, { failed: true, error: 'exit failed' });
    assert.deepEqual(log, ['>a', '>b', '<b:B:ok:undefined', '<a:A:failed exit failed:undefined']);
  });

  test('nested, the group is a step whose promise settles with the outcome', async () => {
    const log: string[] = [];
    const ok = nestedStages([logging('a', log)], async () => {});
    await ok(newCtx());
    const failing = nestedStages([logging('b', log, { replace: 'converted' })], () => Promise.reject(new Error('x')));
    await assert.rejects(failing(newCtx()), (err) => err === 'converted');
    const refusing = nestedStages([logging('c', log, { refuse: 'no' })], async () => {});
    await assert.rejects(refusing(newCtx()), (err) => err === 'no');
  });
});
