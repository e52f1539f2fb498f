import { loadConfig } from '../config';
import { Database } from '../database';
import { testDatabase } from '../../../test/support/database';

describe('the shared database executor', () => {
  it('maps an unreachable server to DATABASE_UNAVAILABLE naming the URI', async () => {
    const config = loadConfig({ NEO4J_URI: 'bolt://127.0.0.1:1', NEO4J_CONNECT_TIMEOUT_MS: '1000' });
    const db = new Database({ ...config.neo4j, uri: config.neo4j.uri! });
    try {
      await expect(db.ping()).rejects.toMatchObject({
        extensions: { code: 'DATABASE_UNAVAILABLE' },
        message: expect.stringContaining('bolt://127.0.0.1:1'),
      });
    } finally {
      await db.close();
    }
  });

  it('stops a query at the transaction timeout with QUERY_TIMEOUT', async () => {
    const db = testDatabase({ NEO4J_TX_TIMEOUT_MS: '200' });
    try {
      await expect(db.readRows('UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 123 RETURN count(x) AS n')).rejects.toMatchObject({
        extensions: { code: 'QUERY_TIMEOUT' },
      });
    } finally {
      await db.close();
    }
  });

  it('fails a call in flight at once when the supervisor reports the database dead, then answers when it is back', async () => {
    // Left alone this query runs to the 3 s transaction timeout (QUERY_TIMEOUT).
    const db = testDatabase({ NEO4J_TX_TIMEOUT_MS: '3000' });
    try {
      const running = db.readRows('UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 123 RETURN count(x) AS n');
      setTimeout(() => db.markUnavailable('Neo4j died (test)', 2), 300);
      // Without the report the query would end at its timeout with QUERY_TIMEOUT: the code says which happened.
      await expect(running).rejects.toMatchObject({ extensions: { code: 'DATABASE_UNAVAILABLE', retryAfterSeconds: 2 } });
      db.markAvailable();
      await expect(db.ping()).resolves.toBeUndefined();
    } finally {
      await db.close();
    }
  });

  it('runs a read again when a concurrent write deleted what it was reading (Neo4j says: retry), never a write', async () => {
    const db = testDatabase();
    // What Neo4j sends when a node vanishes under a running read; the driver does not retry it by itself.
    const conflict = () =>
      Object.assign(new Error('Node 570 was unexpectedly deleted'), {
        code: 'Neo.ClientError.Statement.EntityNotFound',
        classification: 'TRANSIENT_ERROR',
      });
    try {
      let reads = 0;
      const answer = await db.read(async (tx) => {
        reads += 1;
        if (reads === 1) throw conflict();
        return (await tx.run('RETURN 41 + 1 AS n')).records[0]!.get('n');
      });
      expect({ reads, answer }).toEqual({ reads: 2, answer: 42 });
      let writes = 0;
      await expect(
        db.write(async () => {
          writes += 1;
          throw conflict();
        }),
      ).rejects.toThrow(/unexpectedly deleted/);
      expect(writes).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('writes again, at once, the transaction Neo4j picks as a deadlock victim (writeContended)', async () => {
    const db = testDatabase();
    const ids = [`deadlock-a-${process.pid}`, `deadlock-b-${process.pid}`];
    try {
      await db.writeRows('UNWIND $ids AS id MERGE (n:Scratch {id: id}) SET n.writes = 0', { ids });
      // Each transaction locks one node, waits until the other holds its own, then asks for the other's: a sure deadlock.
      let holding = 0;
      let bothHolding!: () => void;
      const barrier = new Promise<void>((resolve) => {
        bothHolding = resolve;
      });
      let deadlocks = 0;
      const lockBoth = (first: string, second: string) =>
        db.writeContended(
          async (tx) => {
            await tx.run('MATCH (n:Scratch {id: $id}) SET n.writes = n.writes + 1', { id: first });
            if (++holding === 2) bothHolding();
            await barrier;
            await tx.run('MATCH (n:Scratch {id: $id}) SET n.writes = n.writes + 1', { id: second });
            return 'written';
          },
          () => deadlocks++,
        );
      expect(await Promise.all([lockBoth(ids[0]!, ids[1]!), lockBoth(ids[1]!, ids[0]!)])).toEqual(['written', 'written']);
      expect(deadlocks).toBeGreaterThanOrEqual(1);
      // Both transactions committed exactly once: every node was written twice, the victim's first try rolled back.
      expect(await db.readRows('MATCH (n:Scratch) WHERE n.id IN $ids RETURN n.writes AS writes', { ids })).toEqual([
        { writes: 2 },
        { writes: 2 },
      ]);
    } finally {
      await db.writeRows('MATCH (n:Scratch) WHERE n.id IN $ids DETACH DELETE n', { ids });
      await db.close();
    }
  });

  it('refuses writes inside a read transaction', async () => {
    const db = testDatabase();
    try {
      await expect(db.readRows("CREATE (n:Scratch {id: 'never'}) RETURN n")).rejects.toThrow(/write|read/i);
      expect(await db.readRows("MATCH (n:Scratch {id: 'never'}) RETURN n")).toHaveLength(0);
    } finally {
      await db.close();
    }
  });

  it('reports every round trip to its listeners', async () => {
    const db = testDatabase();
    const seen: string[] = [];
    const off = db.onQuery((event) => seen.push(`${event.mode} ${event.cypher}`));
    try {
      await db.readRows('RETURN 1 AS one');
      await db.readRows('RETURN 2 AS two');
      off();
      await db.readRows('RETURN 3 AS three');
      expect(seen).toEqual(['READ RETURN 1 AS one', 'READ RETURN 2 AS two']);
    } finally {
      await db.close();
    }
  });
});
