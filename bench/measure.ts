// The one way every bench times a path: `runs` calls, then p50 and p95 printed with the target beside them.
import { performance } from "node:perf_hooks";

export function measure(name: string, runs: number, work: (index: number) => void, target?: string) {
  const samples: number[] = [];
  for (let index = 0; index < runs; index++) {
    const start = performance.now();
    work(index);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const pick = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))].toFixed(3);
  console.log(`${name.padEnd(44)} p50 ${pick(0.5).padStart(8)} ms   p95 ${pick(0.95).padStart(8)} ms${target ? `   (target ${target})` : ""}`);
}
