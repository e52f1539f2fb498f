import '../bin/production-defaults';
import 'reflect-metadata';
import { isDeepStrictEqual } from 'node:util';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { Neo4jGraphQL } from '@neo4j/graphql';
import neo4j, { type Driver } from 'neo4j-driver';
import { encodeCursor } from '../services/shared/graphql/pagination';
import { BENCH_PASSWORD, cpuMeter, hundredths, openBenchGraph, percentile, round, serveWarm } from './bench-graph';
import { random } from './generate';

/*
 * `npm run bench:peer`: our gateway against @neo4j/graphql 7 (type definitions for the same labels and
 * relationships) on the same Neo4j, the benches' generated graph. Per shape: both answers are first checked
 * identical on every sampled id (normalized: lists in a stated order), then sequential p50/p95, requests/s with
 * 8 clients for both (two rounds each, in the order ours, peer, peer, ours) with the CPU each request cost in this
 * process and in Neo4j, and the hand-written Cypher floor. Figures are printed, never asserted; `-- --json` adds one
 * JSON object as the last stdout line.
 */
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 220);
const CLIENTS = 8;
const THROUGHPUT_MS = Number(process.env.BENCH_THROUGHPUT_MS ?? 5000);
const JSON_OUTPUT = process.argv.includes('--json');
/** `BENCH_SHAPES=members,partners` runs only the shapes whose names contain one of these words. */
const ONLY = (process.env.BENCH_SHAPES ?? '').split(',').filter(Boolean);

const PEER_TYPE_DEFS = /* GraphQL */ `
  type Organization @node {
    id: ID!
    name: String!
    basedIn: [Place!]! @relationship(type: "BASED_IN", direction: OUT)
    networks: [Network!]! @relationship(type: "MEMBER_OF", direction: OUT)
    partners: [Organization!]! @relationship(type: "PARTNERS_WITH", direction: OUT, queryDirection: UNDIRECTED)
  }
  type Place @node { id: ID! name: String! }
  type Network @node {
    id: ID!
    name: String!
    members: [Organization!]! @relationship(type: "MEMBER_OF", direction: IN)
  }
  type Grant @node {
    id: ID!
    name: String!
    participants: [Organization!]! @relationship(type: "PARTICIPATES_IN_GRANT", direction: IN, properties: "GrantParticipation")
  }
  type GrantParticipation @relationshipProperties { role: String }
`;

type Json = any;
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const named = (x: Json) => (x ? { id: x.id, name: x.name } : null);
const byName = [{ name: 'ASC' }, { id: 'ASC' }];

interface Shape {
  name: string;
  /** The id (or page) one request asks for. */
  sample: () => Record<string, unknown>;
  ours: { query: string; normalize: (data: Json) => Json };
  peer: { query: string; variables?: (v: Record<string, unknown>) => Record<string, unknown>; normalize: (data: Json) => Json };
  cypher: { text: string; params: (v: Record<string, unknown>) => Record<string, unknown> };
}

function shapes(size: { organizations: number; networks: number; grants?: number }): Shape[] {
  const rnd = random(2026);
  const org = () => ({ id: `b-org-${Math.floor(rnd() * size.organizations)}` });
  const network = () => ({ id: `b-network-${Math.floor(rnd() * size.networks)}` });
  const grant = () => ({ id: `b-grant-${Math.floor(rnd() * (size.grants ?? 1))}` });
  const members = (list: Json[]) => list.map(named);
  return [
    {
      name: 'organization + based-in place + networks',
      sample: org,
      ours: {
        query: 'query($id: ID!) { organization(id: $id) { id name basedIn { id name } networks { id name } } }',
        normalize: (d) => ({
          ...named(d.organization),
          basedIn: named(d.organization.basedIn),
          networks: d.organization.networks.map(named).sort(byId),
        }),
      },
      peer: {
        query: 'query($id: ID!) { organizations(where: { id: { eq: $id } }) { id name basedIn { id name } networks { id name } } }',
        normalize: (d) => ({
          ...named(d.organizations[0]),
          basedIn: named(d.organizations[0].basedIn[0]),
          networks: d.organizations[0].networks.map(named).sort(byId),
        }),
      },
      cypher: {
        text: 'MATCH (o:Organization {id: $id}) RETURN o.id AS id, o.name AS name, [(o)-[:BASED_IN]->(p:Place) | p {.id, .name}] AS basedIn, [(o)-[:MEMBER_OF]->(n:Network) | n {.id, .name}] AS networks',
        params: (v) => v,
      },
    },
    {
      name: 'organization -> networks -> first 50 members -> name',
      sample: org,
      ours: {
        query:
          'query($id: ID!) { organization(id: $id) { id networks { id members(first: 50) { edges { node { member { ... on Organization { id name } } } } } } } }',
        normalize: (d) => ({
          id: d.organization.id,
          networks: d.organization.networks
            .map((n: Json) => ({ id: n.id, members: members(n.members.edges.map((e: Json) => e.node.member)) }))
            .sort(byId),
        }),
      },
      peer: {
        query:
          'query($id: ID!, $sort: [OrganizationSort!]) { organizations(where: { id: { eq: $id } }) { id networks { id members(limit: 50, sort: $sort) { id name } } } }',
        variables: (v) => ({ ...v, sort: byName }),
        normalize: (d) => ({
          id: d.organizations[0].id,
          networks: d.organizations[0].networks.map((n: Json) => ({ id: n.id, members: members(n.members) })).sort(byId),
        }),
      },
      cypher: {
        text: 'MATCH (o:Organization {id: $id})-[:MEMBER_OF]->(n:Network) CALL { WITH n MATCH (n)<-[:MEMBER_OF]-(m:Organization) WITH m ORDER BY m.name, m.id LIMIT 50 RETURN collect(m {.id, .name}) AS members } RETURN n.id AS id, members',
        params: (v) => v,
      },
    },
    {
      name: 'first 100 organizations by name + place',
      sample: () => ({}),
      ours: {
        query: '{ organizations(first: 100, sort: NAME) { edges { node { id name basedIn { id name } } } } }',
        normalize: (d) => d.organizations.edges.map((e: Json) => ({ ...named(e.node), basedIn: named(e.node.basedIn) })),
      },
      peer: {
        query: 'query($sort: [OrganizationSort!]) { organizations(limit: 100, sort: $sort) { id name basedIn { id name } } }',
        variables: () => ({ sort: byName }),
        normalize: (d) => d.organizations.map((o: Json) => ({ ...named(o), basedIn: named(o.basedIn[0]) })),
      },
      cypher: {
        text: 'MATCH (o:Organization) WITH o ORDER BY o.name, o.id LIMIT 100 RETURN o.id AS id, o.name AS name, [(o)-[:BASED_IN]->(p:Place) | p {.id, .name}] AS basedIn',
        params: () => ({}),
      },
    },
    {
      name: 'network + member count + first 100 members',
      sample: network,
      ours: {
        query:
          'query($id: ID!) { network(id: $id) { id name members(first: 100) { totalCount edges { node { member { ... on Organization { id name } } } } } } }',
        normalize: (d) => ({
          ...named(d.network),
          count: d.network.members.totalCount,
          members: members(d.network.members.edges.map((e: Json) => e.node.member)),
        }),
      },
      peer: {
        query:
          'query($id: ID!, $sort: [OrganizationSort!]) { networks(where: { id: { eq: $id } }) { id name membersConnection { totalCount } members(limit: 100, sort: $sort) { id name } } }',
        variables: (v) => ({ ...v, sort: byName }),
        normalize: (d) => ({
          ...named(d.networks[0]),
          count: d.networks[0].membersConnection.totalCount,
          members: members(d.networks[0].members),
        }),
      },
      cypher: {
        text: 'MATCH (n:Network {id: $id}) CALL { WITH n MATCH (n)<-[:MEMBER_OF]-(m:Organization) WITH m ORDER BY m.name, m.id LIMIT 100 RETURN collect(m {.id, .name}) AS members } RETURN n.id AS id, n.name AS name, COUNT { (n)<-[:MEMBER_OF]-(:Organization) } AS count, members',
        params: (v) => v,
      },
    },
    {
      name: "organization's partners + their places",
      sample: org,
      ours: {
        query: 'query($id: ID!) { organization(id: $id) { id partners { partner { id name basedIn { id name } } } } }',
        normalize: (d) => ({
          id: d.organization.id,
          partners: d.organization.partners.map((p: Json) => ({ ...named(p.partner), basedIn: named(p.partner.basedIn) })).sort(byId),
        }),
      },
      peer: {
        query: 'query($id: ID!) { organizations(where: { id: { eq: $id } }) { id partners { id name basedIn { id name } } } }',
        normalize: (d) => ({
          id: d.organizations[0].id,
          partners: d.organizations[0].partners.map((p: Json) => ({ ...named(p), basedIn: named(p.basedIn[0]) })).sort(byId),
        }),
      },
      cypher: {
        text: 'MATCH (o:Organization {id: $id})-[:PARTNERS_WITH]-(p:Organization) RETURN p.id AS id, p.name AS name, [(p)-[:BASED_IN]->(c:Place) | c {.id, .name}] AS basedIn',
        params: (v) => v,
      },
    },
    {
      name: 'grant -> participants -> their organizations',
      sample: grant,
      ours: {
        query: 'query($id: ID!) { grant(id: $id) { id name participants { role organization { id name } } } }',
        normalize: (d) => ({
          ...named(d.grant),
          participants: d.grant.participants
            .map((p: Json) => ({ role: String(p.role).toLowerCase(), ...named(p.organization) }))
            .sort(byId),
        }),
      },
      peer: {
        query:
          'query($id: ID!) { grants(where: { id: { eq: $id } }) { id name participantsConnection { edges { properties { role } node { id name } } } } }',
        normalize: (d) => ({
          ...named(d.grants[0]),
          participants: d.grants[0].participantsConnection.edges
            .map((e: Json) => ({ role: String(e.properties.role).toLowerCase(), ...named(e.node) }))
            .sort(byId),
        }),
      },
      cypher: {
        text: 'MATCH (g:Grant {id: $id}) RETURN g.id AS id, g.name AS name, [(g)<-[r:PARTICIPATES_IN_GRANT]-(o:Organization) | {role: r.role, id: o.id, name: o.name}] AS participants',
        params: (v) => v,
      },
    },
    {
      name: 'deep page: organizations 4,901-5,000 by name',
      sample: () => ({ offset: 4900 }),
      ours: {
        query: 'query($after: String) { organizations(first: 100, after: $after, sort: NAME) { edges { node { id name } } } }',
        normalize: (d) => d.organizations.edges.map((e: Json) => named(e.node)),
      },
      peer: {
        query: 'query($sort: [OrganizationSort!]) { organizations(offset: 4900, limit: 100, sort: $sort) { id name } }',
        variables: () => ({ sort: byName }),
        normalize: (d) => d.organizations.map(named),
      },
      cypher: {
        text: 'MATCH (o:Organization) WITH o ORDER BY o.name, o.id SKIP 4900 LIMIT 100 RETURN o.id AS id, o.name AS name',
        params: () => ({}),
      },
    },
  ];
}

/** The variables our API takes for a sample (the deep page's offset becomes a cursor). */
const oursVariables = (v: Record<string, unknown>) => ('offset' in v ? { after: encodeCursor(Number(v.offset) - 1) } : v);

async function post(url: string, query: string, variables: Record<string, unknown>): Promise<Json> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Json; errors?: Array<{ message: string }> };
  if (body.errors) throw new Error(body.errors[0]!.message);
  return body.data;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

interface Throughput {
  rps: number;
  /** CPU per request, ms: this process's (servers and clients) and Neo4j's. */
  cpu: { node: number; neo4j?: number };
}

/** Requests per second with CLIENTS sending back to back for THROUGHPUT_MS, and the CPU each request cost. */
async function throughput(request: (i: number) => Promise<unknown>, cpu: ReturnType<typeof cpuMeter>): Promise<Throughput> {
  const before = cpu();
  const until = performance.now() + THROUGHPUT_MS;
  let done = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = client; performance.now() < until; i += CLIENTS) {
        await request(i);
        done++;
      }
    }),
  );
  const after = cpu();
  const perRequest = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : hundredths((b - a) / done);
  return {
    rps: round(done / (THROUGHPUT_MS / 1000)),
    cpu: { node: perRequest(before.node, after.node)!, neo4j: perRequest(before.neo4j, after.neo4j) },
  };
}

/** Two rounds of one server, averaged. */
const averaged = (a: Throughput, b: Throughput): Throughput => {
  const mean = (x: number | undefined, y: number | undefined) => (x === undefined || y === undefined ? undefined : hundredths((x + y) / 2));
  return { rps: round((a.rps + b.rps) / 2), cpu: { node: mean(a.cpu.node, b.cpu.node)!, neo4j: mean(a.cpu.neo4j, b.cpu.neo4j) } };
};

/**
 * Requests per second of both servers, measured ours, peer, peer, ours and averaged per server: whatever drifts
 * during a shape (the machine's speed, Neo4j's background work, garbage left by the other server) weighs on both
 * alike instead of on whichever goes first.
 */
async function pairedThroughput(
  ours: (i: number) => Promise<unknown>,
  peer: (i: number) => Promise<unknown>,
  cpu: ReturnType<typeof cpuMeter>,
) {
  const [a1, b1, b2, a2] = [
    await throughput(ours, cpu),
    await throughput(peer, cpu),
    await throughput(peer, cpu),
    await throughput(ours, cpu),
  ];
  return { ours: averaged(a1, a2), peer: averaged(b1, b2) };
}

/** CPU per request as `node+neo4j` ms. */
const cpuText = (cpu: Throughput['cpu']) => `${cpu.node.toFixed(2)}+${cpu.neo4j?.toFixed(2) ?? '?'}`;

async function main() {
  const { connection, config, size } = await openBenchGraph(SCALE);
  let peerDriver: Driver | undefined;
  try {
    // The insights subgraph loads its collaboration index at start: measure after it, not against it.
    const { gateway } = await serveWarm({ connection, config });
    peerDriver = neo4j.driver(connection.db.uri, neo4j.auth.basic('neo4j', BENCH_PASSWORD), { disableLosslessIntegers: true });
    const peerSchema = await new Neo4jGraphQL({ typeDefs: PEER_TYPE_DEFS, driver: peerDriver }).getSchema();
    const peerServer = new ApolloServer({ schema: peerSchema });
    const { url: peerUrl } = await startStandaloneServer(peerServer, { listen: { port: 0, host: '127.0.0.1' } });
    const cpu = cpuMeter(connection.embedded?.pid);
    const floorDriver = neo4j.driver(connection.db.uri, neo4j.auth.basic('neo4j', BENCH_PASSWORD), { disableLosslessIntegers: true });

    const results: Json[] = [];
    console.log(
      `\n${'shape'.padEnd(52)} ${'ours p50/p95'.padStart(14)} ${'rps'.padStart(7)} ${'peer p50/p95'.padStart(14)} ${'rps'.padStart(7)} ${'cypher'.padStart(8)} ${'cpu/req ours'.padStart(13)} ${'peer'.padStart(11)}  identical`,
    );
    for (const shape of shapes(size).filter((s) => ONLY.length === 0 || ONLY.some((word) => s.name.includes(word)))) {
      const samples = Array.from({ length: SAMPLES }, shape.sample);
      const ours = (v: Record<string, unknown>) => post(gateway.url, shape.ours.query, oursVariables(v));
      const peer = (v: Record<string, unknown>) => post(peerUrl, shape.peer.query, shape.peer.variables?.(v) ?? v);
      let mismatch: string | undefined;
      for (const v of samples) {
        const [a, b] = [shape.ours.normalize(await ours(v)), shape.peer.normalize(await peer(v))];
        if (!isDeepStrictEqual(a, b)) {
          mismatch = `${JSON.stringify(v)}: ours ${JSON.stringify(a).slice(0, 300)} / peer ${JSON.stringify(b).slice(0, 300)}`;
          break;
        }
      }
      const oursTimes: number[] = [];
      const peerTimes: number[] = [];
      const cypherTimes: number[] = [];
      for (const v of samples) oursTimes.push(await timed(() => ours(v)));
      for (const v of samples) peerTimes.push(await timed(() => peer(v)));
      for (const v of samples.slice(0, 50))
        cypherTimes.push(
          await timed(() => floorDriver.executeQuery(shape.cypher.text, shape.cypher.params(v), { routing: neo4j.routing.READ })),
        );
      const rps = await pairedThroughput(
        (i) => ours(samples[i % samples.length]!),
        (i) => peer(samples[i % samples.length]!),
        cpu,
      );
      const result = {
        name: shape.name,
        ours: {
          p50: round(percentile(oursTimes, 50)),
          p95: round(percentile(oursTimes, 95)),
          rps: rps.ours.rps,
          cpuMs: rps.ours.cpu,
        },
        peer: {
          p50: round(percentile(peerTimes, 50)),
          p95: round(percentile(peerTimes, 95)),
          rps: rps.peer.rps,
          cpuMs: rps.peer.cpu,
        },
        cypher: { p50: round(percentile(cypherTimes, 50)) },
        identical: mismatch === undefined,
      };
      results.push(result);
      const pair = (r: { p50: number; p95: number }) => `${r.p50.toFixed(1)}/${r.p95.toFixed(1)}ms`;
      console.log(
        `${shape.name.padEnd(52)} ${pair(result.ours).padStart(14)} ${String(result.ours.rps).padStart(7)} ${pair(result.peer).padStart(14)} ${String(result.peer.rps).padStart(7)} ${`${result.cypher.p50.toFixed(1)}ms`.padStart(8)} ${cpuText(result.ours.cpuMs).padStart(13)} ${cpuText(result.peer.cpuMs).padStart(11)}  ${result.identical ? 'yes' : `NO: ${mismatch}`}`,
      );
    }
    if (JSON_OUTPUT) console.log(JSON.stringify({ scale: SCALE, shapes: results }));
    await floorDriver.close();
    await peerServer.stop();
    await gateway.close();
  } finally {
    await peerDriver?.close();
    await connection.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
