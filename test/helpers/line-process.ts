import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

/** A child process read line by line from stdout, stopped by pid. */
export interface LineProcess {
  child: ChildProcess;
  /** Resolves with the first line (old or new) matching `test`; rejects after `timeoutMs` or on exit. */
  waitFor(test: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  send(line: string): void;
  /** SIGKILL (a crash) or SIGTERM, then waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  output(): string;
}

export function startLineProcess(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): LineProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let stderr = "";
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on("line", (line) => {
    lines.push(line);
    for (const wake of waiters) wake();
  });
  child.stderr!.on("data", (chunk) => {
    stderr = (stderr + String(chunk)).slice(-4000);
  });
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      for (const wake of waiters) wake();
      resolve();
    }),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    output: () => `${lines.join("\n")}\n--- stderr ---\n${stderr}`,
    send: (line) => child.stdin!.write(`${line}\n`),
    waitFor(test, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        let seen = 0;
        const check = () => {
          for (; seen < lines.length; seen += 1) {
            if (test(lines[seen])) {
              done();
              resolve(lines[seen]);
              return;
            }
          }
          if (!alive()) {
            done();
            reject(new Error(`${command} exited before the line came:\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(`no matching line within ${timeoutMs} ms:\n${lines.join("\n")}\n${stderr}`),
          );
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async stop(signal = "SIGTERM") {
      if (alive()) {
        child.kill(signal);
        await exited;
      }
    },
  };
}
