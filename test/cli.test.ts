import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { PROJECT_DIR, TS_REGISTER } from './support/env';

let busy: Server;
let port: number;
beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  port = (busy.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

describe('command-line entry points', () => {
  it('say in one line that a service port is taken, and exit 1', async () => {
    const child = spawn(process.execPath, ['-r', TS_REGISTER, 'bin/subgraph.ts', 'actors'], {
      cwd: PROJECT_DIR,
      env: { ...process.env, ACTORS_PORT: String(port), HOST: '127.0.0.1' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      `[subgraph] Port ${port} on 127.0.0.1 is already in use; set another port (GATEWAY_PORT, ACTORS_PORT, ...) or stop what listens there.`,
    ]);
  });
});
