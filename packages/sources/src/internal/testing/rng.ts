/** The fixtures' seeded generator (mulberry32 of `@beacon/synth`): the same sequence every run. */
export { mulberry32 as rng } from '@beacon/synth';
