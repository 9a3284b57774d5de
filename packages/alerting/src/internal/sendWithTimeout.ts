import type { Alert } from '../alert.js';
import { AlertingError } from '../alertingError.js';
import type { AlertSink } from '../alertSink.js';

/**
 * Calls `sink.send` with an AbortSignal that fires after `timeoutMs`, and gives up at that
 * moment even if the sink ignores the signal, so a hung sink cannot hold its lane forever.
 */
export async function sendWithTimeout(sink: AlertSink, alert: Alert, timeoutMs: number): Promise<void> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new AlertingError('TIMEOUT', `sink "${sink.name}" took longer than ${timeoutMs} ms`, { sink: sink.name });
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    // Promise.resolve().then() turns a synchronous throw into a rejection.
    await Promise.race([Promise.resolve().then(() => sink.send(alert, controller.signal)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
