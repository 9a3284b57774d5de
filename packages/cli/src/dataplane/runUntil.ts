/**
 * Resolves on SIGINT or SIGTERM, or after `durationSeconds` when given, whichever comes first;
 * resolves to what ended the run. Its own signal handlers replace the default termination, so
 * the caller can shut down cleanly (and exit 0).
 */
export function runUntil(durationSeconds: number | undefined): Promise<'signal' | 'duration'> {
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = (why: 'signal' | 'duration'): void => {
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(why);
    };
    const onSignal = (): void => done('signal');
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (durationSeconds !== undefined) timer = setTimeout(() => done('duration'), durationSeconds * 1000);
  });
}
