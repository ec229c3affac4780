import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';

export const binPath = path.resolve(import.meta.dirname, '../bin/groundwork.js');

/** The environment a user's shell would give the CLI, minus anything that would leak in from the test run. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'], LOG_LEVEL: 'info' };
  return { ...env, ...extra };
}

export function runCli(
  args: string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number },
) {
  const result = spawnSync(process.execPath, [binPath, ...args], {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface RunningServer {
  process: ChildProcess;
  url: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/** Starts `groundwork serve` and resolves once it prints its URL. */
export function startServer(options: { cwd: string; env: Record<string, string> }): Promise<RunningServer> {
  const child = spawn(process.execPath, [binPath, 'serve'], { cwd: options.cwd, env: cleanEnv(options.env) });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Groundwork is running at (http:\/\/\S+) /.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({
          process: child,
          url: match[1],
          output: () => output,
          stop: () =>
            new Promise((done) => {
              child.once('exit', (code) => done(code));
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${String(code)}:\n${output}`));
    });
  });
}
