import '../bin/production-defaults';
import 'reflect-metadata';
import neo4j from 'neo4j-driver';
import { askTimed, BENCH_PASSWORD, openBenchGraph, percentile, round, serveWarm } from './bench-graph';
import { networkQuestions, type BenchQuestion } from './network-questions';

/*
 * `npm run bench:insights`: on the benches' generated graph (bench-graph.ts), for every network question, the first
 * request of its shape, then p50/p95 through the gateway next to Cypher sent directly with neo4j-driver. Figures are
 * printed, never asserted. `-- --json` adds one JSON object as the last stdout line.
 */
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const JSON_OUTPUT = process.argv.includes('--json');
/** BENCH_ONLY=text (or several, `a|b`): only the questions whose name contains one of them (to look closely). */
const ONLY = process.env.BENCH_ONLY?.split('|').filter(Boolean);
const wanted = (name: string) => !ONLY?.length || ONLY.some((word) => name.includes(word));

async function main() {
  const { connection, config, size, writeSeconds, counts } = await openBenchGraph(SCALE);
  try {
    const { gateway, warmSeconds } = await serveWarm({ connection, config });
    console.log(`  start-up warming done after ${warmSeconds.toFixed(1)} s more`);
    const driver = neo4j.driver(connection.db.uri, neo4j.auth.basic('neo4j', BENCH_PASSWORD));
    const cases = networkQuestions(size);

    // The floor is timed on the very samples the gateway was asked (the first ones: past 5 runs it stops once it has
    // taken 20 s, for the floors that take seconds), each paired with the same sample through the gateway again just
    // before it: both then find the sample's data in Neo4j's page cache, where the first gateway round may have paid
    // for reading it (start-up warms the page cache, but a store larger than it is only partly held).
    const CYPHER_RUNS = Number(process.env.BENCH_CYPHER_RUNS ?? RUNS);
    const CYPHER_BUDGET_MS = 20_000;
    const ask = async (c: Pick<BenchQuestion, 'name'>, body: { query: string; variables: Record<string, unknown> }) => {
      const { ms, data } = await askTimed(gateway.url, c.name, body);
      // How big the answer is (a list's totalCount), so a question's growth with the graph reads beside its answer's.
      const total = Object.values(data ?? {})[0]?.totalCount;
      if (typeof total === 'number') (answerSizes[c.name] ??= []).push(total);
      return ms;
    };
    const answerSizes: Record<string, number[]> = {};
    const mean = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) / values.length);
    const errors: Array<{ name: string; error: string }> = [];
    const results: Array<{
      name: string;
      local: boolean;
      gateway: { p50: number; p95: number };
      cypher: { p50: number; p95: number; samples: number } | null;
      gatewayOnFloorSamples: { p50: number } | null;
      meanTotalCount?: number;
      firstRequestMs: number;
    }> = [];
    console.log(
      `\n${'question'.padEnd(48)} ${'first'.padStart(9)} ${'gateway p50'.padStart(12)} ${'p95'.padStart(8)} ${'cypher p50'.padStart(11)} ${'p95'.padStart(8)}`,
    );
    // Every question's gateway figures first, then the Cypher floors: a floor that runs for seconds (brokers by
    // networks' at scale 10) leaves Neo4j busy collecting garbage, which the next question's figures then paid for.
    const measured: Array<{
      c: BenchQuestion;
      firstRequestMs: number;
      api: number[];
      asked: Array<{ query: string; variables: Record<string, unknown> }>;
    }> = [];
    for (const c of cases.filter((q) => wanted(q.name))) {
      const api: number[] = [];
      const asked: Array<{ query: string; variables: Record<string, unknown> }> = [];
      try {
        const firstRequestMs = await ask(c, c.graphql());
        for (let i = 0; i < RUNS; i++) {
          const body = c.graphql();
          asked.push(body);
          api.push(await ask(c, body));
        }
        measured.push({ c, firstRequestMs, api, asked });
      } catch (error) {
        // One failing question (a timeout at this scale, say) is a figure too: report it and go on.
        errors.push({ name: c.name, error: (error as Error).message });
        console.log(`${c.name.padEnd(48)} failed: ${(error as Error).message}`);
      }
    }
    for (const { c, firstRequestMs, api, asked } of measured) {
      const floor: number[] = [];
      const paired: number[] = [];
      const floorStart = performance.now();
      for (let i = 0; c.cypher && i < Math.min(CYPHER_RUNS, asked.length); i++) {
        if (i >= 5 && performance.now() - floorStart > CYPHER_BUDGET_MS) break;
        const { text, params } = c.cypher(asked[i]!.variables);
        paired.push(await ask(c, asked[i]!));
        const start = performance.now();
        try {
          await driver.executeQuery(text, params, { routing: neo4j.routing.READ, transactionConfig: { timeout: 60_000 } });
          floor.push(performance.now() - start);
        } catch {
          break; // past the timeout: no figure
        }
      }
      const result = {
        name: c.name,
        local: !!c.local,
        firstRequestMs: round(firstRequestMs),
        gateway: { p50: round(percentile(api, 50)), p95: round(percentile(api, 95)) },
        ...(answerSizes[c.name] ? { meanTotalCount: mean(answerSizes[c.name]!) } : {}),
        cypher: floor.length ? { p50: round(percentile(floor, 50)), p95: round(percentile(floor, 95)), samples: floor.length } : null,
        // The gateway asked each of the floor's samples again right before it: the like-for-like comparison.
        gatewayOnFloorSamples: floor.length ? { p50: round(percentile(paired.slice(0, floor.length), 50)) } : null,
      };
      results.push(result);
      console.log(
        `${c.name.padEnd(48)} ${result.firstRequestMs.toFixed(1).padStart(7)}ms ${result.gateway.p50.toFixed(1).padStart(10)}ms ${result.gateway.p95.toFixed(1).padStart(6)}ms ${(result.cypher ? `${result.cypher.p50.toFixed(1)}ms` : c.cypher ? 'timeout' : 'n/a').padStart(11)} ${(result.cypher ? `${result.cypher.p95.toFixed(1)}ms` : '').padStart(8)}${result.gatewayOnFloorSamples ? `  gateway on the same samples, warm: ${result.gatewayOnFloorSamples.p50.toFixed(1)}ms` : ''}${result.meanTotalCount !== undefined ? `  totalCount ${result.meanTotalCount.toLocaleString()} on average` : ''}`,
      );
    }
    const science = wanted('network science') ? await networkScience(ask, RUNS, size.organizations, gateway.url) : [];
    if (JSON_OUTPUT)
      console.log(
        JSON.stringify({
          scale: SCALE,
          nodes: counts.nodes,
          relationships: counts.relationships,
          writeSeconds: round(writeSeconds),
          warmSeconds: round(warmSeconds),
          questions: results,
          science,
          errors,
        }),
      );
    await driver.close();
    await gateway.close();
  } finally {
    await connection.close();
  }
}

/** The country the network-science figures are scoped to (the generator's first: 1,200 organizations per scale unit). */
const SCIENCE_COUNTRY = 'XA';

/**
 * Network science on one country's collaboration graph: for each whole-graph measure, the time its first request
 * takes to compute it (asked again each second while it answers QUERY_TIMEOUT: the computation goes on; the
 * projection is made by the first, DEGREE), then p50/p95 of the same question answered from the computed result,
 * and the slowest answer other clients got meanwhile.
 */
async function networkScience(
  ask: (c: { name: string }, body: { query: string; variables: Record<string, unknown> }) => Promise<number>,
  runs: number,
  organizations: number,
  url: string,
) {
  // A centrality's scope and, when estimated, its bound: read once from the computed answer.
  const estimateOf = async (query: string) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const body = (await response.json()) as { data?: { centrality?: { actors: number; ties: number; estimate: unknown } } };
    const centrality = body.data?.centrality;
    return centrality && { actors: centrality.actors, ties: centrality.ties, estimate: centrality.estimate };
  };
  // Meanwhile, other clients: a 1-hop collaborators question every 50 ms, whose slowest answer shows whether the
  // computation holds the server up.
  const others = (until: { done: boolean }) =>
    (async () => {
      let slowest = 0;
      for (let i = 0; !until.done; i++) {
        const id = `b-org-${(i * 7919) % organizations}`;
        const query = 'query($id: ID!) { collaborators(id: $id, first: 20) { edges { node { actor { id } } } } }';
        slowest = Math.max(slowest, await ask({ name: 'collaborators meanwhile' }, { query, variables: { id } }));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return round(slowest);
    })();
  const scope = `country: "${SCIENCE_COUNTRY}"`;
  const questions: Array<[string, string]> = [
    ...['DEGREE', 'BETWEENNESS', 'CLOSENESS', 'EIGENVECTOR', 'PAGERANK'].map((m): [string, string] => [
      `centrality ${m}`,
      `{ centrality(measure: ${m}, ${scope}, first: 20) { actors ties estimate { samples errorBound } scores { score } } }`,
    ]),
    ['communities LOUVAIN', `{ communities(${scope}, first: 10) { modularity actors communities { size label } } }`],
    ['brokerage by cities', `{ brokerage(groupBy: CITY, ${scope}, first: 20) { roles { total } } }`],
    ['structural holes', `{ structuralHoles(${scope}, first: 20) { constraint } }`],
    ['network evolution 2010-2021', `{ networkEvolution(from: 2010, to: 2021, ${scope}) { year actors ties modularity } }`],
  ];
  console.log(
    `\nnetwork science, country ${SCIENCE_COUNTRY}: ${'question'.padEnd(30)} ${'compute'.padStart(10)} ${'p50'.padStart(8)} ${'p95'.padStart(8)}`,
  );
  const figures = [];
  for (const [name, query] of questions) {
    const started = performance.now();
    const until = { done: false };
    const meanwhile = others(until);
    let outcome: string | undefined;
    for (;;) {
      try {
        await ask({ name }, { query, variables: {} });
        break;
      } catch (error) {
        const message = (error as Error).message;
        if (!/takes longer than/.test(message) || performance.now() - started > 30 * 60_000) {
          outcome = message;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    const computeMs = round(performance.now() - started);
    until.done = true;
    const othersSlowestMs = await meanwhile;
    if (outcome) {
      figures.push({ name, computeMs, refused: outcome });
      console.log(`  ${name.padEnd(60)} refused after ${computeMs} ms: ${outcome}`);
      continue;
    }
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) warm.push(await ask({ name }, { query, variables: {} }));
    const gateway = { p50: round(percentile(warm, 50)), p95: round(percentile(warm, 95)) };
    const scope = name.startsWith('centrality') ? await estimateOf(query) : undefined;
    figures.push({ name, computeMs, gateway, othersSlowestMs, ...scope });
    console.log(
      `  ${name.padEnd(60)} ${computeMs.toFixed(0).padStart(8)}ms ${gateway.p50.toFixed(1).padStart(6)}ms ${gateway.p95.toFixed(1).padStart(6)}ms   others' slowest ${othersSlowestMs} ms${scope ? `   ${scope.actors} actors, ${scope.ties} ties${scope.estimate ? `, estimate ${JSON.stringify(scope.estimate)}` : ''}` : ''}`,
    );
  }
  return figures;
}

// A whole-graph count that outlived its request goes on in the background: do not wait for it to end.
main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
