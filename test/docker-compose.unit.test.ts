import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ENV_VARS, SUBGRAPHS } from '../services/shared/config';
import { PROJECT_DIR } from './support/env';

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(join(PROJECT_DIR, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};

describe('docker-compose.yml (checked against the code, since Docker does not run here)', () => {
  it('runs Neo4j 5.26 Community with a healthcheck', () => {
    const neo4j = compose.services.neo4j!;
    expect(neo4j.image).toBe('neo4j:5.26-community');
    expect(neo4j.healthcheck?.test.join(' ')).toContain('RETURN 1');
  });

  it('names every subgraph and the gateway, each waiting for a healthy Neo4j', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['gateway', 'neo4j', ...SUBGRAPHS].sort());
    for (const name of [...SUBGRAPHS, 'gateway']) {
      expect(compose.services[name]!.depends_on?.neo4j?.condition).toBe('service_healthy');
    }
  });

  it('starts each subgraph through the subgraph entry point with its own name', () => {
    for (const name of SUBGRAPHS) {
      expect(compose.services[name]!.command).toEqual(['node', 'dist/bin/subgraph.js', name]);
    }
    expect(existsSync(join(PROJECT_DIR, 'Dockerfile'))).toBe(true);
    // The compiled entry points the commands name come from these sources.
    expect(existsSync(join(PROJECT_DIR, 'bin', 'subgraph.ts'))).toBe(true);
    expect(compose.services.gateway!.command?.slice(0, 2)).toEqual(['node', 'dist/bin/gateway.js']);
    expect(existsSync(join(PROJECT_DIR, 'bin', 'gateway.ts'))).toBe(true);
  });

  it('uses only environment variables that the config module reads', () => {
    const known = new Set(Object.keys(ENV_VARS));
    for (const [name, service] of Object.entries(compose.services)) {
      if (name === 'neo4j') continue; // the official image's own variables
      for (const variable of Object.keys(service.environment ?? {})) {
        expect({ service: name, variable, known: known.has(variable) }).toEqual({ service: name, variable, known: true });
      }
    }
  });

  it('points the gateway at every subgraph by its URL variable', () => {
    const env = compose.services.gateway!.environment!;
    for (const name of SUBGRAPHS) expect(env[`${name.toUpperCase()}_URL`]).toMatch(new RegExp(`^http://${name}:\\d+/graphql$`));
  });
});
