import { Command, CommanderError } from 'commander';
import { HttpError, OfflineError } from './internal/httpErrors.js';
import { VERSION } from './version.js';

type Register = (program: Command) => void;

/**
 * Every command's module, loaded on demand: `beacon analyze` should not pay for loading the HTTP
 * server, the metrics library and the probe. In the order `--help` lists them; a module may
 * register several commands (connections and long-conns).
 */
const COMMANDS: ReadonlyArray<[names: readonly string[], load: () => Promise<Register>]> = [
  [['status'], async () => (await import('./commands/status.js')).registerStatus],
  [['beacons'], async () => (await import('./commands/beacons.js')).registerBeacons],
  [['connections', 'long-conns'], async () => (await import('./commands/connections.js')).registerConnections],
  [['alerts'], async () => (await import('./commands/alerts.js')).registerAlerts],
  [['watch'], async () => (await import('./commands/watch.js')).registerWatch],
  [['config'], async () => (await import('./commands/configCmd.js')).registerConfig],
  [['simulate'], async () => (await import('./commands/simulate.js')).registerSimulate],
  [['server'], async () => (await import('./commands/server.js')).registerServer],
  [['demo'], async () => (await import('./commands/demo.js')).registerDemo],
  [['analyze'], async () => (await import('./commands/analyze.js')).registerAnalyze],
  [['evaluate'], async () => (await import('./commands/evaluate.js')).registerEvaluate],
  [['collect'], async () => (await import('./commands/collect.js')).registerCollect],
  [['agent'], async () => (await import('./commands/agent.js')).registerAgent],
  [['doctor'], async () => (await import('./commands/doctor.js')).registerDoctor],
];

/** Global options that take a value (so the value is not mistaken for the command). */
const VALUE_OPTIONS: ReadonlySet<string> = new Set(['--host', '--port', '--token']);

/** The command named on the command line, if any. */
function commandOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (!a.startsWith('-')) return a;
    if (VALUE_OPTIONS.has(a)) i++;
  }
  return undefined;
}

/**
 * Builds the `beacon` command tree: every command, or only those named in `only` (the others
 * are then not loaded at all).
 */
export async function buildProgram(only?: readonly string[]): Promise<Command> {
  const program = new Command('beacon')
    .description('Beacon: find command-and-control beacons in network traffic')
    .version(VERSION)
    .option('--host <host>', 'control plane host', 'localhost')
    .option('--port <port>', 'control plane port', '9090')
    .option('--token <token>', 'API token (default: $BEACON_API_KEY)')
    .option('--tls', 'talk https to the control plane')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .showHelpAfterError();
  const wanted = COMMANDS.filter(([names]) => only === undefined || names.some((n) => only.includes(n)));
  for (const register of await Promise.all(wanted.map(([, load]) => load()))) register(program);
  return program;
}

/** Runs the beacon command line with the given argv; sets the exit code on failure. */
export async function main(argv: readonly string[]): Promise<void> {
  const args = argv.slice(2);
  const named = commandOf(args);
  const known = named !== undefined && COMMANDS.some(([names]) => names.includes(named));
  const wantsHelp = args.some((a) => ['-h', '--help', 'help'].includes(a));
  // `beacon --version` needs no command at all
  const wantsVersion = named === undefined && !wantsHelp && args.some((a) => a === '-V' || a === '--version');
  // Only the named command is loaded; help, and a name we do not know (for its error), load all.
  const program = await buildProgram(wantsVersion ? [] : wantsHelp || (named !== undefined && !known) ? undefined : [named ?? 'status']);
  program.exitOverride();
  // No command means `status`, as in the original.
  const hasCommand = known;
  const finalArgv = hasCommand || wantsHelp || wantsVersion ? [...argv] : [...argv.slice(0, 2), ...args, 'status'];
  try {
    await program.parseAsync(finalArgv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    const message = error instanceof OfflineError || error instanceof HttpError ? error.message : error instanceof Error ? error.message : String(error);
    process.stderr.write(`beacon: ${message}\n`);
    process.exitCode = 1;
  }
}
