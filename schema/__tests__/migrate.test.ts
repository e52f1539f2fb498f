import { migrate, MigrationError } from '../migrate';
import { MIGRATIONS } from '../migrations';
import { ENTITY_LABELS } from '../model';
import { testDatabase, testTag } from '../../test/support/database';

const db = testDatabase();
afterAll(() => db.close());

async function schemaSnapshot() {
  const [constraints] = await db.readRows<{ n: number }>('SHOW CONSTRAINTS YIELD name RETURN count(*) AS n');
  const [indexes] = await db.readRows<{ n: number }>('SHOW INDEXES YIELD name RETURN count(*) AS n');
  const migrations = await db.readRows<{ version: number; appliedAt: string }>(
    'MATCH (m:SchemaMigration) RETURN m.version AS version, toString(m.appliedAt) AS appliedAt ORDER BY version',
  );
  return { constraints: constraints!.n, indexes: indexes!.n, migrations };
}

describe('schema migrations', () => {
  it('records every migration version in the graph', async () => {
    const { migrations } = await schemaSnapshot();
    expect(migrations.map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('changes nothing when applied a second time', async () => {
    const before = await schemaSnapshot();
    const report = await migrate(db);
    expect(report.applied).toEqual([]);
    expect(report.alreadyApplied).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await schemaSnapshot()).toEqual(before);
  });

  it('creates a uniqueness constraint on the id of every entity label, and of judgements', async () => {
    const rows = await db.readRows<{ label: string }>(
      "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties WHERE type = 'UNIQUENESS' AND properties = ['id'] RETURN labelsOrTypes[0] AS label",
    );
    expect(rows.map((r) => r.label).sort()).toEqual([...ENTITY_LABELS, 'Judgement'].sort());
  });

  it('renames the ids of old IATI money flows and activity links so no edge id is shared, and only once', async () => {
    const { tag, cleanup } = testTag();
    const migration = MIGRATIONS.find((m) => m.version === 6)!;
    try {
      await db.writeRows(
        `CREATE (a:Organization {id: $tag + '-a', testTag: $tag})-[:FUNDED {id: $tx}]->(b:Organization {id: $tag + '-b', testTag: $tag})
        CREATE (g:Grant {id: $tag + '-g', testTag: $tag})-[:FUNDS_ACTIVITY {id: $tx}]->(h:Grant {id: $tag + '-h', testTag: $tag})`,
        { tag, tx: `iati-${tag}#t0` },
      );
      const ids = () =>
        db.readRows<{ type: string; id: string }>('MATCH (n {testTag: $tag})-[r]->() RETURN type(r) AS type, r.id AS id ORDER BY type', {
          tag,
        });
      for (const statement of migration.statements) await db.schemaCommand(statement);
      const once = await ids();
      expect(once).toEqual([
        { type: 'FUNDED', id: `iati-${tag}#t0|funded` },
        { type: 'FUNDS_ACTIVITY', id: `iati-${tag}#t0|activity` },
      ]);
      for (const statement of migration.statements) await db.schemaCommand(statement);
      expect(await ids()).toEqual(once);
    } finally {
      await cleanup(db);
    }
  });

  it('rejects a duplicate id', async () => {
    const { tag, cleanup } = testTag();
    try {
      await db.writeRows('CREATE (:Organization {id: $id, testTag: $tag})', { id: tag, tag });
      await expect(db.writeRows('CREATE (:Organization {id: $id, testTag: $tag})', { id: tag, tag })).rejects.toMatchObject({
        extensions: { code: 'CONFLICT' },
      });
    } finally {
      await cleanup(db);
    }
  });

  it('finds names without accents and case through the full-text index', async () => {
    const { tag, cleanup } = testTag();
    try {
      await db.writeRows(
        "CREATE (:Organization {id: $tag, testTag: $tag, name: 'Asociación Zyxwvó Ñandú', searchText: 'Institución Qwertý'})",
        { tag },
      );
      for (const text of ['asociacion zyxwvo', 'ÑANDU', 'institucion qwerty']) {
        const rows = await db.readRows<{ id: string }>(
          "CALL db.index.fulltext.queryNodes('entity_names', $text) YIELD node RETURN node.id AS id",
          { text },
        );
        expect(rows.map((r) => r.id)).toContain(tag);
      }
    } finally {
      await cleanup(db);
    }
  });

  it('leaves the recorded version unchanged and names the migration when one fails', async () => {
    const broken = [
      ...MIGRATIONS,
      {
        version: 9001,
        name: 'a deliberately broken migration',
        statements: ['CREATE INDEX broken_9001 IF NOT EXISTS FOR (n:Organization) ON (n.kind)', 'CREATE INDEX FOR oops'],
      },
    ];
    const error = await migrate(db, broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/Migration 9001 \(a deliberately broken migration\) failed/);
    const recorded = await db.readRows('MATCH (m:SchemaMigration {version: 9001}) RETURN m');
    expect(recorded).toHaveLength(0);
  });

  it('refuses a migration edited after it was applied', async () => {
    const edited = MIGRATIONS.map((m) => (m.version === 2 ? { ...m, statements: [...m.statements, 'RETURN 1'] } : m));
    await expect(migrate(db, edited)).rejects.toThrow(/Migration 2 .* was changed after it was applied/);
  });
});

describe('the model and the frozen migrations', () => {
  it('has a unique-id constraint for every label the model declares', () => {
    const statements = MIGRATIONS.flatMap((m) => m.statements).join('\n');
    for (const label of ENTITY_LABELS) expect(statements).toContain(`FOR (n:${label}) REQUIRE n.id IS UNIQUE`);
  });
});
