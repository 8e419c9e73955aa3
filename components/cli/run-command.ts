/**
 * Runs a command's main function with the product's error contract: bad input
 * (a FleetConfigError) prints its formatted issues, never a stack trace; any other
 * failure prints one line, and the stack only when DIND_RUNNERS_DEBUG is set.
 */
import { FleetConfigError } from "../config/messages/config-issue.js";

export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export function runCommand(main: (io: CommandIo) => Promise<number>): void {
  const io: CommandIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
  main(io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.exitCode = 1;
      if (error instanceof FleetConfigError) {
        // The message is the formatted issue list, headed with the stack name.
        io.stderr(error.message + "\n");
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      io.stderr(`error: ${message}\n`);
      if (process.env["DIND_RUNNERS_DEBUG"] && error instanceof Error && error.stack) {
        io.stderr(error.stack + "\n");
      }
    },
  );
}
