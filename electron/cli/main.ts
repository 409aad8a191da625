import { HaulError } from '../engine/errors.ts';
import { EXIT, UsageError } from './cli-error.ts';
import { HAUL_VERSION } from '../../shared/version.ts';
import { ADD_USAGE, EXPORT_USAGE, GET_USAGE, IMPORT_USAGE, SERVE_USAGE, SHORT_USAGE, USAGE, USER_USAGE } from './usage.ts';

type Command = (argv: string[]) => Promise<number>;

const COMMAND_USAGE: Record<string, string> = { get: GET_USAGE, serve: SERVE_USAGE, add: ADD_USAGE, user: USER_USAGE, export: EXPORT_USAGE, import: IMPORT_USAGE };

/** Runs the command line; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), env: process.env };
  // Each command is loaded only when it runs: the engine, the server and their libraries cost start-up time.
  const commands: Record<string, Command> = {
    get: async (args) => (await import('./get.ts')).runGet(args, io),
    serve: async (args) => (await import('./serve.ts')).runServe(args, io),
    add: async (args) => (await import('./add.ts')).runAdd(args, io),
    user: async (args) => (await import('./user.ts')).runUser(args, io),
    export: async (args) => (await import('./lists.ts')).runExport(args, io),
    import: async (args) => (await import('./lists.ts')).runImport(args, io),
  };
  // Nothing asked: the short list, on stderr, as a usage mistake (scripts see exit 2).
  if (command === undefined) {
    io.stderr.write(`${SHORT_USAGE}\n\nRun "haul help" for every option.\n`);
    return EXIT.usage;
  }
  if (command === '--help' || command === '-h') return say(io.stdout, USAGE);
  if (command === '--version' || command === '-V' || command === 'version') return say(io.stdout, `haul ${HAUL_VERSION}`);
  if (command === 'help') {
    const topic = rest[0];
    if (topic === undefined) return say(io.stdout, USAGE);
    const usage = COMMAND_USAGE[topic];
    if (usage !== undefined) return say(io.stdout, usage);
    io.stderr.write(`haul help: "${topic}" is not a command; the commands are get, serve, add, user, export and import.\n`);
    return EXIT.usage;
  }
  const run = commands[command];
  if (run === undefined) {
    io.stderr.write(`haul: "${command}" is not a command. Run "haul help" for the list.\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) return say(io.stdout, COMMAND_USAGE[command] ?? USAGE);
  try {
    return await run(rest);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`haul ${command}: ${(error as Error).message}\nRun "haul help ${command}" for usage.\n`);
      return EXIT.usage;
    }
    if (error instanceof HaulError) {
      io.stderr.write(`haul ${command}: ${error.message}\n`);
      return EXIT.failed;
    }
    throw error;
  }
}

function say(out: NodeJS.WriteStream, text: string): number {
  out.write(`${text}\n`);
  return EXIT.ok;
}

/**
 * undici calls its SOCKS5 support experimental on every use; Haul tests it against a real proxy
 * and documents it, so `-q` stays quiet. Every other warning is printed as Node prints it.
 */
function quietSocksWarning(): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'ExperimentalWarning' && /SOCKS5/u.test(warning.message)) return;
    process.stderr.write(`(node:${process.pid}) ${warning.name}: ${warning.message}\n`);
  });
}

quietSocksWarning();
process.exitCode = await main(process.argv.slice(2));
