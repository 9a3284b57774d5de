declare module 'fft.js' {
  /** Radix-4 FFT of a power-of-two size (indutny/fft.js). */
  export default class FFT {
    constructor(size: number);
    readonly size: number;
    createComplexArray(): number[];
    realTransform(output: number[], input: ArrayLike<number>): void;
    completeSpectrum(spectrum: number[]): void;
  }
}
