/**
 * The sentence encoder in its worker: the real model once (loads from the npm package, no network), and
 * workers that die or hang, which must leave callers answering lexically rather than waiting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { maxSentenceCosine, quantiseVector } from '../../src/core/index.ts';
import { startWorkerEncoder, type Encoder } from '../../src/semantic/encoder.ts';
import { DIMENSIONS } from '../../src/semantic/model.ts';

const started: Encoder[] = [];
afterEach(async () => {
  for (const encoder of started.splice(0)) await encoder.close();
});
function start(...args: Parameters<typeof startWorkerEncoder>): Encoder {
  const encoder = startWorkerEncoder(...args);
  started.push(encoder);
  return encoder;
}

const dot = (a: Float32Array, b: Float32Array) =>
  a.reduce((sum, value, i) => sum + value * (b[i] as number), 0);

describe('the sentence encoder worker', () => {
  it('loads the model shipped in the npm package and puts a paraphrase nearer than an unrelated sentence', async () => {
    const encoder = start();
    expect(await encoder.ready).toBe(true);
    const [question, paraphrase, unrelated] = await encoder.encode([
      'How did the UN plan to mark its birthday during the pandemic?',
      'The United Nations will celebrate its 75th anniversary by video conference.',
      'Thousands of websites remain blocked in China.',
    ]);
    expect(question).toHaveLength(DIMENSIONS);
    expect(dot(question!, question!)).toBeCloseTo(1, 4);
    expect(dot(question!, paraphrase!)).toBeGreaterThan(dot(question!, unrelated!) + 0.1);
    // int8 keeps the cosine to within a hundredth.
    const stored = quantiseVector(paraphrase!);
    const quantised = maxSentenceCosine(question!, {
      values: stored.values,
      scales: Float32Array.of(stored.scale),
    });
    expect(Math.abs(quantised - dot(question!, paraphrase!))).toBeLessThan(0.01);
  }, 30_000);

  it('fails every request at once when the worker dies, and refuses later ones without waiting', async () => {
    const failures: string[] = [];
    const encoder = start({
      workerUrl: new URL('../fixtures/semantic/dying-worker.ts', import.meta.url),
      onFailure: (reason) => failures.push(reason),
    });
    expect(await encoder.ready).toBe(true);
    await expect(encoder.encode(['anything'])).rejects.toThrow('exited');
    expect(encoder.state).toBe('failed');
    await expect(encoder.encode(['again'])).rejects.toThrow('exited');
    expect(failures).toEqual(['the encoder worker exited (code 3)']);
  }, 15_000);

  it('ends a worker that keeps a request past hangMs', async () => {
    const encoder = start({
      workerUrl: new URL('../fixtures/semantic/hanging-worker.ts', import.meta.url),
      hangMs: 200,
    });
    expect(await encoder.ready).toBe(true);
    await expect(encoder.encode(['anything'])).rejects.toThrow('stopped answering');
    expect(encoder.state).toBe('failed');
  }, 15_000);
});
