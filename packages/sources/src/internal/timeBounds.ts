/**
 * Bounds on the times a source hands on. Beyond them a record can only be damaged or forged,
 * and one such record used to end a whole hunt (`Invalid time value` when printed).
 */

/** Latest event time, epoch seconds (year 5138; the detector refuses later events too). */
export const MAX_EPOCH_SECONDS = 1e11;

/** Longest connection a record may describe: ten years. */
export const MAX_DURATION_SECONDS = 315_360_000;
