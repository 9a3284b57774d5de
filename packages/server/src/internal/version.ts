/** This package's version, reported by `GET /`. */
export const VERSION = '0.1.0';
