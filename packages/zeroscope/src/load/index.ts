// The load package: go-zero's adaptive load shedding (core/load) and the CPU sampler it reads.
export { AdaptiveShedder, createShedder } from './adaptive-shedder.ts';
export type { Admission, AdaptiveShedderOptions, ShedDecision, ShedReason, Shedder } from './adaptive-shedder.ts';
export { ProcessCpuSampler, fixedCpuSampler, processCpuSampler } from './cpu-sampler.ts';
export type { CpuSampler } from './cpu-sampler.ts';
export { RollingWindow } from './rolling-window.ts';
