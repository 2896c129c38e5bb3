/** Timing for the validation benchmarks (bench:ehf, the compiled Schematron's bench): the median of many runs. */
export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Median milliseconds of `times` runs of `run`, after `warmUp` untimed runs. */
export function medianMs(times: number, run: () => unknown, warmUp = 0): number {
  for (let i = 0; i < warmUp; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}
