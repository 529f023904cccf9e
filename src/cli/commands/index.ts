import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { registerCatalogCommand } from './catalog.js';
import { registerCopyCommand } from './copy.js';
import { registerDbCommand } from './db.js';
import { registerInspectCommand } from './inspect.js';
import { registerLoginCommands } from './login.js';
import { registerReferrersCommand } from './referrers.js';
import { registerSbomCommand } from './sbom.js';
import { registerScanCommand } from './scan.js';
import { registerRunCommand } from './run-workflow.js';
import { registerServeCommand } from './serve.js';
import { registerWorkerCommand } from './worker.js';
import { registerRegistryCommand } from './registry.js';
import { registerSyncCommand } from './sync.js';
import { registerTagsCommand } from './tags.js';
import { registerWorkflowCommand } from './workflow.js';
import { registerRunsCommand } from './runs.js';
import { registerApprovalCommands } from './approvals.js';
import { registerAuditCommand } from './audit.js';
import { registerTokenCommand } from './token.js';

/** Every top-level command; each module adds its subcommand to the program. */
export function registerCommands(program: Command, io: CliIo): void {
  registerServeCommand(program, io);
  registerWorkerCommand(program, io);
  registerRunCommand(program, io);
  registerCopyCommand(program, io);
  registerSyncCommand(program, io);
  registerInspectCommand(program, io);
  registerTagsCommand(program, io);
  registerCatalogCommand(program, io);
  registerReferrersCommand(program, io);
  registerLoginCommands(program, io);
  registerScanCommand(program, io);
  registerSbomCommand(program, io);
  registerRegistryCommand(program, io);
  registerDbCommand(program, io);
  registerWorkflowCommand(program, io);
  registerRunsCommand(program, io);
  registerApprovalCommands(program, io);
  registerTokenCommand(program, io);
  registerAuditCommand(program, io);
}
