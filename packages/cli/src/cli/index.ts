/** The `zeroscope` command line, for embedding and tests. */
export { COMMANDS, main, mainHelp, run } from './main.ts';
export type { Command } from './main.ts';
export { processIo, serveUntilStopped } from './io.ts';
export type { CliIo } from './io.ts';
export { CLI_ERRORS, CliError, CliRunError, CliUsageError } from './errors.ts';
export { formatFlags, parseFlags } from './flags.ts';
export type { FlagSpec, ParsedFlags } from './flags.ts';
export { UP_FLAGS, UP_HELP, upCommand, upConfig } from './up.ts';
export { formatRetention } from '../backend/index.ts';
export { IMPORT_FLAGS, IMPORT_HELP, importCommand } from './import.ts';
export { DEMO_HELP, demoCommand } from './demo.ts';
export { UI_ENV, UI_FLAGS, UI_HELP, parseHeader, uiCommand, uiConfig } from './ui.ts';
export { createTempoProxy } from './tempo-proxy.ts';
export type { TempoProxy, TempoProxyOptions } from './tempo-proxy.ts';
export { GEN_HELP, genCommand } from './gen/command.ts';
export { NEW_HELP, newCommand } from './new/command.ts';
export { GENERATED_MARK, applyPlan } from './gen/write-plan.ts';
export type { PlannedFile, WriteOutcome } from './gen/write-plan.ts';
