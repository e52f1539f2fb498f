import { createServer, type Server } from 'node:net';
import { spawnSync } from 'node:child_process';
import { connect } from '../connect';
import { ensurePortFree, LauncherError, startEmbeddedNeo4j } from '../launcher';
import { loadConfig } from '../../services/shared/config';
import { PROJECT_DIR, TEST_BOLT_PORT, TEST_PASSWORD, TS_REGISTER } from '../../test/support/env';

const embeddedTestStore = process.env.OGP_TEST_DATA_DIR!;
const usingEmbedded = !process.env.NEO4J_TEST_URI;

function listenOn(port: number): Promise<Server> {
  return new Promise((done) => {
    const server = createServer();
    server.listen(port, '127.0.0.1', () => done(server));
  });
}

describe('embedded Neo4j launcher', () => {
  it('names the port when the Bolt port is already taken', async () => {
    const server = await listenOn(0);
    const port = (server.address() as { port: number }).port;
    try {
      await expect(ensurePortFree(port)).rejects.toThrow(new RegExp(`Port ${port} on 127.0.0.1 is already in use`));
      const config = loadConfig({ NEO4J_BOLT_PORT: String(port), NEO4J_DATA_DIR: '.data/neo4j-port-test' });
      await expect(startEmbeddedNeo4j(config.embedded, config.neo4j)).rejects.toThrow(/NEO4J_BOLT_PORT/);
    } finally {
      server.close();
    }
  });

  (usingEmbedded ? it : it.skip)('says so clearly when a second start targets a running store', async () => {
    const config = loadConfig({
      NEO4J_DATA_DIR: embeddedTestStore,
      NEO4J_BOLT_PORT: String(TEST_BOLT_PORT + 1),
      NEO4J_PASSWORD: TEST_PASSWORD,
    });
    await expect(startEmbeddedNeo4j(config.embedded, config.neo4j)).rejects.toThrow(/already running on this data folder \(pid \d+/);
  });

  it('tells what to install when Java is missing', async () => {
    const config = loadConfig({ JAVA_HOME: '/nonexistent/jdk', NEO4J_DATA_DIR: '.data/neo4j-java-test' });
    const error = await startEmbeddedNeo4j(config.embedded, config.neo4j).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LauncherError);
    expect((error as Error).message).toMatch(/Java 17\+.*NEO4J_URI.*docker compose up/);
  });
});

describe('connecting to NEO4J_URI', () => {
  it('fails within 15 seconds naming the URI when nothing listens there', async () => {
    const started = Date.now();
    const config = loadConfig({ NEO4J_URI: 'bolt://127.0.0.1:1', NEO4J_PASSWORD: 'secret-password-123' });
    const error = await connect(config).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(error).toBeInstanceOf(LauncherError);
    expect((error as Error).message).toMatch(/^Cannot use Neo4j at bolt:\/\/127\.0\.0\.1:1: /);
    expect((error as Error).message).not.toContain('secret-password-123');
  });

  it('reports a wrong password without revealing it', async () => {
    const config = loadConfig({ NEO4J_URI: process.env.NEO4J_URI, NEO4J_PASSWORD: 'wrong-password-456' });
    const error = await connect(config).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/refused the configured credentials/);
    expect((error as Error).message).not.toContain('wrong-password-456');
  });

  it('exits the command line with one clear line and status 1 when the database is down', () => {
    const run = spawnSync(process.execPath, ['-r', TS_REGISTER, 'bin/migrate.ts'], {
      cwd: PROJECT_DIR,
      env: { ...process.env, NEO4J_URI: 'bolt://127.0.0.1:1' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^\[migrate\] Cannot use Neo4j at bolt:\/\/127\.0\.0\.1:1/)]);
  });
});

describe('the embedded Neo4j as a process', () => {
  (usingEmbedded ? it : it.skip)(
    'starts on its own port and data folder, answers Bolt, and stops cleanly on SIGTERM',
    async () => {
      const { spawn } = await import('node:child_process');
      const { rmSync } = await import('node:fs');
      const dataDir = `${PROJECT_DIR}/.data/neo4j-lifecycle-test`;
      rmSync(dataDir, { recursive: true, force: true });
      const child = spawn(process.execPath, ['-r', TS_REGISTER, 'bin/neo4j.ts'], {
        cwd: PROJECT_DIR,
        env: {
          ...process.env,
          NEO4J_URI: '',
          NEO4J_BOLT_PORT: String(TEST_BOLT_PORT + 2),
          NEO4J_DATA_DIR: dataDir,
          NEO4J_HEAP: '512m',
          NEO4J_PAGECACHE: '128m',
        },
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const deadline = Date.now() + 90_000;
      while (!output.includes('Bolt listening') && Date.now() < deadline && child.exitCode === null)
        await new Promise((r) => setTimeout(r, 250));
      expect(output).toContain(`Bolt listening on bolt://127.0.0.1:${TEST_BOLT_PORT + 2}`);
      const db = (await import('../../test/support/database')).testDatabase({
        NEO4J_URI: `bolt://127.0.0.1:${TEST_BOLT_PORT + 2}`,
        NEO4J_PASSWORD: process.env.NEO4J_PASSWORD ?? '',
      });
      const rows = await db.readRows<{ one: number }>('RETURN 1 AS one').finally(() => db.close());
      expect(rows).toEqual([{ one: 1 }]);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(await ensurePortFree(TEST_BOLT_PORT + 2).then(() => 'free')).toBe('free');
      rmSync(dataDir, { recursive: true, force: true });
    },
    120_000,
  );
});
