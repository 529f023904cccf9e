import type { Command } from 'commander';
import type { CliIo } from '../io.js';

/** Every top-level command; each module adds its subcommand to the program. */
export function registerCommands(_program: Command, _io: CliIo): void {
  // Commands are added here as they are built.
}
