import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from '../helpers/cli.js';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `warden market serve` (built CLI) on a random 127.0.0.1 port and waits for its URL. */
export function startServer(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CLI, 'market', 'serve', '--host', '127.0.0.1', '--port', '0', ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c) => (err += c));
  return new Promise((resolveP, rejectP) => {
    const timer = setTimeout(() => rejectP(new Error(`server did not start in 20 s; stderr:\n${err}`)), 20_000);
    child.on('exit', (code) => rejectP(new Error(`server exited with ${code}; stderr:\n${err}`)));
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /market listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveP({
          url: m[1]!,
          child,
          stderr: () => err,
          stop: (signal = 'SIGTERM') =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill(signal);
            }),
        });
      }
    });
  });
}
