/**
 * The `wirewatch` command. Thin: each subcommand lives in cli/ and calls use-cases; one handler
 * here decides what the user sees when something fails (a clear message, never a stack trace).
 */
import { Command, CommanderError } from 'commander';
import { registerBenchCommand } from './cli/bench-command.js';
import { registerEvalCommand } from './cli/eval-command.js';
import { registerParseCommand } from './cli/parse-command.js';
import { registerPauseCommands } from './cli/pause-commands.js';
import { registerRegisterCommandsCommand } from './cli/register-commands.js';
import { registerRunCommand } from './cli/run-command.js';
import { registerScoreCommand } from './cli/score-command.js';
import { registerTimelineCommand } from './cli/timeline-command.js';
import { registerWorkerCommand } from './cli/worker-command.js';
import { isAppError } from './core/errors.js';
import { createFeedFetcher } from './feeds/fetch/index.js';
import { USER_AGENT } from './main.js';

const program = new Command()
  .name('wirewatch')
  .description('News monitoring for Slack, Discord and the terminal: feeds scored against watch profiles, every alert explained.')
  .showHelpAfterError()
  .exitOverride();

registerRunCommand(program);
registerWorkerCommand(program);
registerParseCommand(program, {
  fetchUrl: (url, allow) => createFeedFetcher({ userAgent: USER_AGENT, allowPrivate: allow }).fetch(url),
});
registerScoreCommand(program, { profilesDir: 'config/profiles' });
registerTimelineCommand(program);
registerEvalCommand(program, { profilesDir: 'config/profiles', fixturesDir: 'fixtures' });
registerBenchCommand(program);
registerRegisterCommandsCommand(program);
registerPauseCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (isAppError(error)) {
    process.stderr.write(`wirewatch: ${error.message}\n`);
    process.exitCode = error.code === 'config_invalid' || error.code === 'profile_invalid' ? 2 : 1;
  } else {
    process.stderr.write(`wirewatch: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
