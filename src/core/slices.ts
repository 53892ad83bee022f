/**
 * Long work cut into slices of at most about {@link SLICE_MS} ms with a macrotask yield between them, so the
 * event loop keeps answering questions while a large document is indexed or checked (target: no stall over
 * 50 ms). One mechanism for the engine's `addAsync` and the Library's checks of uploaded text.
 */

/** The longest stretch of work between two yields. */
export const SLICE_MS = 8;

export class Slices {
  #sliceStart = performance.now();

  /** Yields to the event loop (timers and I/O run) when the current slice has run long enough. */
  async pause(): Promise<void> {
    if (performance.now() - this.#sliceStart < SLICE_MS) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.#sliceStart = performance.now();
  }

  /** Runs a step-wise computation to its end, pausing between steps. */
  async drain<T>(steps: Generator<void, T, void>): Promise<T> {
    let step = steps.next();
    while (step.done !== true) {
      await this.pause();
      step = steps.next();
    }
    return step.value;
  }
}
