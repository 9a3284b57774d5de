/** Runs the beacon command line with the given argv. */
export async function main(argv: readonly string[]): Promise<void> {
  process.stdout.write(`beacon: ${argv.slice(2).join(' ')}\n`);
}
