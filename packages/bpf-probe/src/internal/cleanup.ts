/**
 * Detaches open probes when the process is interrupted. bpf_link attachments go away with the
 * process anyway; legacy clsact filters would not, so SIGINT/SIGTERM/exit close every probe.
 */

interface Closable {
  closeNow(): void;
}

const open = new Set<Closable>();
let installed = false;

function closeAll(): void {
  for (const probe of [...open]) {
    try {
      probe.closeNow();
    } catch {
      // best effort while the process goes down
    }
  }
  open.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  closeAll();
  uninstall();
  // Keep the default behaviour (terminate) unless the application handles the signal itself.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', closeAll);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('exit', closeAll);
}

/** Registers a probe to be closed on SIGINT, SIGTERM and process exit. */
export function trackForCleanup(probe: Closable): void {
  open.add(probe);
  install();
}

/** Forgets a closed probe. */
export function untrackForCleanup(probe: Closable): void {
  open.delete(probe);
  if (open.size === 0) uninstall();
}
