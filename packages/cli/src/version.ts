/** The version of @beacon/cli. */
export const VERSION: string = '0.1.0';
