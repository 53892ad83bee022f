/** The machine a run was measured on, for the table's header. */
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  node: string;
  cores: number;
  memoryBytes: number;
  cpuModel: string;
  platform: string;
  /** 1, 5 and 15 minute load averages when the run started: other work on the machine skews timings. */
  loadAverage: number[];
}

export function describeMachine(): Machine {
  return {
    node: process.version,
    cores: availableParallelism(),
    memoryBytes: totalmem(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}
