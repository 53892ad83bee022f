/**
 * What a handled interaction came to, for its log line and the metrics: the library's answers are noted
 * on the interaction being handled (AsyncLocalStorage carries it through the handler's awaits), so the
 * dispatcher can say `answered` or `declined` with the reason without any handler reporting it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NoAnswerReason } from '../core/index.ts';
import type { Metrics } from '../health/metrics.ts';
import type { Library } from '../library.ts';

/** The question an interaction asked and how the library answered it (the last ask, if several). */
export interface InteractionNote {
  question?: string;
  answered?: boolean;
  reason?: NoAnswerReason;
}

const current = new AsyncLocalStorage<InteractionNote>();

/** Runs `handle` with `note` as the note that the library's answers fill in (also if `handle` throws). */
export function noting<T>(note: InteractionNote, handle: () => Promise<T>): Promise<T> {
  return current.run(note, handle);
}

/** `library` whose answers are counted in `metrics` and noted on the interaction being handled. */
export function observedAsks(library: Library, metrics: Metrics): Library {
  const ask: Library['ask'] = async (question, options) => {
    const result = await library.ask(question, options);
    const note = current.getStore();
    if (note) Object.assign(note, { question, answered: result.answered, reason: result.reason });
    if (result.answered) metrics.questions.inc({ outcome: 'answered', reason: '' });
    else metrics.questions.inc({ outcome: 'declined', reason: result.reason ?? 'unknown' });
    return result;
  };
  // As ownedWrites: a proxy, so methods the Library gains later pass through unchanged.
  return new Proxy(library, {
    get(target, property) {
      if (property === 'ask') return ask;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
