import { Command, CommanderError } from 'commander';
import { registerAnalyze } from './commands/analyze.js';
import { registerAlerts } from './commands/alerts.js';
import { registerBeacons } from './commands/beacons.js';
import { registerConfig } from './commands/configCmd.js';
import { registerConnections } from './commands/connections.js';
import { registerStatus } from './commands/status.js';
import { registerWatch } from './commands/watch.js';
import { registerSimulate } from './commands/simulate.js';
import { registerCollect } from './commands/collect.js';
import { registerAgent } from './commands/agent.js';
import { registerServer } from './commands/server.js';
import { registerDemo } from './commands/demo.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerDoctor } from './commands/doctor.js';
import { HttpError, OfflineError } from './internal/client.js';
import { VERSION } from './version.js';

/** Builds the `beacon` command tree. */
export function buildProgram(): Command {
  const program = new Command('beacon')
    .description('Beacon: find command-and-control beacons in network traffic')
    .version(VERSION)
    .option('--host <host>', 'control plane host', 'localhost')
    .option('--port <port>', 'control plane port', '9090')
    .option('--token <token>', 'API token (default: $BEACON_API_KEY)')
    .option('--tls', 'talk https to the control plane')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .showHelpAfterError();
  registerStatus(program);
  registerBeacons(program);
  registerConnections(program);
  registerAlerts(program);
  registerWatch(program);
  registerConfig(program);
  registerSimulate(program);
  registerServer(program);
  registerDemo(program);
  registerAnalyze(program);
  registerEvaluate(program);
  registerCollect(program); registerAgent(program);
  registerDoctor(program);
  return program;
}

/** Runs the beacon command line with the given argv; sets the exit code on failure. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  const args = argv.slice(2);
  // No command means `status`, as in the original.
  const hasCommand = args.some((a) => program.commands.some((c) => c.name() === a || c.aliases().includes(a)));
  const wantsHelp = args.some((a) => ['-h', '--help', '-V', '--version', 'help'].includes(a));
  const finalArgv = hasCommand || wantsHelp ? [...argv] : [...argv.slice(0, 2), ...args, 'status'];
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
