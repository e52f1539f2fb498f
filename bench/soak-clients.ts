import { writeFileSync } from 'node:fs';
import { random } from './generate';

/*
 * The soak's clients, in a process of their own (bench/soak.ts starts it), so the server's memory is measured
 * without the clients and the outcomes they keep. Mixed read shapes against the gateway at SOAK_URL for
 * SOAK_SECONDS with SOAK_CLIENTS concurrent clients; every outcome is written as JSON to SOAK_OUTCOMES at the end.
 */
export interface Outcome {
  startedAt: number;
  ms: number;
  code: string;
  message?: string;
}

/** A request still unanswered after this long counts as hung. */
export const HUNG_MS = 20_000;

async function main() {
  const url = process.env.SOAK_URL!;
  const seconds = Number(process.env.SOAK_SECONDS);
  const clients = Number(process.env.SOAK_CLIENTS);
  const { organizations, networks } = JSON.parse(process.env.SOAK_SIZE!) as { organizations: number; networks: number };
  const rnd = random(5);
  const org = () => `b-org-${Math.floor(rnd() * organizations)}`;
  const network = () => `b-network-${Math.floor(rnd() * networks)}`;
  const shapes: Array<() => { query: string; variables: Record<string, unknown> }> = [
    () => ({
      query: 'query($id: ID!) { organization(id: $id) { id name basedIn { id name } networks { id name } } }',
      variables: { id: org() },
    }),
    () => ({
      query:
        'query($id: ID!) { network(id: $id) { id name members(first: 50) { totalCount edges { node { member { ... on Organization { id name } } } } } } }',
      variables: { id: network() },
    }),
    () => ({ query: '{ organizations(first: 50, sort: NAME) { edges { node { id name } } } }', variables: {} }),
    () => ({
      query: 'query($id: ID!) { collaborators(id: $id, first: 20) { totalCount edges { node { actor { id } hops } } } }',
      variables: { id: org() },
    }),
    () => ({
      query: 'query($id: ID!) { collaborators(id: $id, maxHops: 2, first: 20) { edges { node { actor { id } hops } } } }',
      variables: { id: org() },
    }),
    () => ({
      query: 'query($f: ID!, $t: ID!) { shortestPaths(from: $f, to: $t, maxHops: 3, limit: 5) { hops } }',
      variables: { f: org(), t: org() },
    }),
    () => ({ query: 'query($id: ID!) { fundingTrail(id: $id) { totals { amount currency } } }', variables: { id: org() } }),
    () => ({
      query: 'query($id: ID!) { relationshipView(id: $id, depth: 2, limit: 100) { truncated nodes { id } } }',
      variables: { id: org() },
    }),
  ];
  const outcomes: Outcome[] = [];
  const deadline = Date.now() + seconds * 1000;
  const ask = async (): Promise<void> => {
    const body = shapes[Math.floor(rnd() * shapes.length)]!();
    const at = Date.now();
    let code = 'OK';
    let message: string | undefined;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(HUNG_MS),
      });
      const answer = (await response.json()) as { errors?: Array<{ message?: string; extensions?: { code?: string } }> };
      if (answer.errors) [code, message] = [answer.errors[0]?.extensions?.code ?? `HTTP_${response.status}`, answer.errors[0]?.message];
    } catch (error) {
      code = (error as Error).name === 'TimeoutError' ? 'HUNG' : 'NETWORK_ERROR';
    }
    outcomes.push({ startedAt: at, ms: Date.now() - at, code, message });
  };
  await ask(); // the collaboration index loads on the first question
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < deadline) await ask();
    }),
  );
  writeFileSync(process.env.SOAK_OUTCOMES!, JSON.stringify(outcomes));
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
