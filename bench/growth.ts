import '../bin/production-defaults';
import 'reflect-metadata';
import { askTimed, BENCH_STORE, openBenchGraph, percentile, round, serveWarm, type BenchGraph, type BenchStore } from './bench-graph';
import { networkQuestions, type BenchQuestion } from './network-questions';

/*
 * `npm run bench:growth`: how much each local network question grows from scale 1 to BENCH_SCALE (default 10), both
 * graphs served side by side, each by its own gateway and Neo4j, and every sample asked of both in turn (the order
 * alternating). A machine that slows down for a minute then slows both sides alike: two runs of bench:insights taken
 * minutes apart moved a question's p50 by more than #13's 1.5x margin on this 2-core machine. Figures are printed,
 * never asserted; `-- --json` adds one JSON object as the last stdout line.
 */
const LARGE_SCALE = Number(process.env.BENCH_SCALE ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const JSON_OUTPUT = process.argv.includes('--json');
/** The small graph's store, beside the large one's (BENCH_STORE, which bench:insights reuses at the same scale). */
const SMALL_STORE: BenchStore = { folder: 'neo4j-bench-small', boltPort: 17698, heap: '1g', pageCache: '1g' };

interface Side {
  scale: number;
  graph: BenchGraph;
  url: string;
  questions: BenchQuestion[];
  close: () => Promise<void>;
}

async function serve(scale: number, store: BenchStore): Promise<Side> {
  const graph = await openBenchGraph(scale, store);
  const { gateway } = await serveWarm(graph);
  console.log(`  scale ${scale}: ${graph.counts.nodes.toLocaleString()} nodes, served and warm`);
  return {
    scale,
    graph,
    url: gateway.url,
    questions: networkQuestions(graph.size).filter((q) => q.local),
    close: async () => {
      await gateway.close();
      await graph.connection.close();
    },
  };
}

const ask = async (url: string, name: string, body: { query: string; variables: Record<string, unknown> }) =>
  (await askTimed(url, name, body)).ms;

async function main() {
  // One after the other: writing both graphs at once would measure the machine's contention, not the questions.
  const small = await serve(1, SMALL_STORE);
  const large = await serve(LARGE_SCALE, BENCH_STORE);
  try {
    console.log(
      `\n${'question'.padEnd(42)} ${'scale 1 p50'.padStart(12)} ${'p95'.padStart(8)} ${`scale ${LARGE_SCALE} p50`.padStart(13)} ${'p95'.padStart(8)} ${'growth'.padStart(7)}`,
    );
    const results = [];
    for (let k = 0; k < small.questions.length; k++) {
      const name = small.questions[k]!.name;
      const times = new Map<Side, number[]>([
        [small, []],
        [large, []],
      ]);
      // The first request of each shape is planned and cached: not a sample.
      for (const side of [small, large]) await ask(side.url, name, side.questions[k]!.graphql());
      for (let i = 0; i < RUNS; i++) {
        for (const side of i % 2 === 0 ? [small, large] : [large, small]) {
          times.get(side)!.push(await ask(side.url, name, side.questions[k]!.graphql()));
        }
      }
      const figures = (side: Side) => ({ p50: round(percentile(times.get(side)!, 50)), p95: round(percentile(times.get(side)!, 95)) });
      const [smallFigures, largeFigures] = [figures(small), figures(large)];
      const result = {
        name,
        small: smallFigures,
        large: largeFigures,
        growth: Math.round((100 * largeFigures.p50) / smallFigures.p50) / 100,
      };
      results.push(result);
      console.log(
        `${name.padEnd(42)} ${result.small.p50.toFixed(1).padStart(10)}ms ${result.small.p95.toFixed(1).padStart(6)}ms ${result.large.p50.toFixed(1).padStart(11)}ms ${result.large.p95.toFixed(1).padStart(6)}ms ${`${result.growth.toFixed(2)}x`.padStart(7)}`,
      );
    }
    if (JSON_OUTPUT)
      console.log(
        JSON.stringify({
          scales: [1, LARGE_SCALE],
          nodes: [small.graph.counts.nodes, large.graph.counts.nodes],
          runs: RUNS,
          questions: results,
        }),
      );
  } finally {
    await large.close();
    await small.close();
  }
}

// Whole-graph computations may go on in the background after the last answer: do not wait for them to end.
main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
