import { callerFrom } from '../auth';
import { ENV_VARS, loadConfig } from '../config';

describe('configuration', () => {
  it('uses documented defaults when the environment is empty', () => {
    const config = loadConfig({});
    expect(config.neo4j.uri).toBeUndefined();
    expect(config.embedded.boltPort).toBe(7687);
    expect(config.embedded.dataDir).toMatch(/\.data\/neo4j$/);
    expect(config.gatewayPort).toBe(4000);
    expect(config.subgraphUrls.funding).toBe('http://127.0.0.1:4003/graphql');
  });

  it('says what it expected and what arrived for a bad value', () => {
    expect(() => loadConfig({ NEO4J_BOLT_PORT: 'seven' })).toThrow(
      'Configuration NEO4J_BOLT_PORT: expected an integer between 1 and 65535, got "seven"',
    );
    expect(() => loadConfig({ NEO4J_URI: 'http://localhost:7474' })).toThrow(/expected a bolt:\/\/, neo4j:\/\/ or neo4j\+s:\/\/ URI/);
    expect(() => loadConfig({ NEO4J_HEAP: 'lots' })).toThrow(/NEO4J_HEAP: expected a size like 512m or 2g/);
    expect(() => loadConfig({ API_KEYS: 'abc:admin' })).toThrow(/API_KEYS/);
  });

  it('accepts neo4j:// and neo4j+s:// URIs for clusters and AuraDB', () => {
    expect(loadConfig({ NEO4J_URI: 'neo4j+s://abc.databases.neo4j.io' }).neo4j.uri).toBe('neo4j+s://abc.databases.neo4j.io');
    expect(loadConfig({ NEO4J_URI: 'neo4j://core1:7687' }).neo4j.uri).toBe('neo4j://core1:7687');
  });

  it('is frozen so nothing can change it after start-up', () => {
    const config = loadConfig({});
    expect(() => ((config.neo4j as { user: string }).user = 'x')).toThrow(TypeError);
  });

  // SHA-256 of "abc" and of "" (FIPS 180-2's test vectors), so the digests are checked against the standard.
  const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
  const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

  it('keeps API keys only as SHA-256 digests with their roles, plain or given hashed', () => {
    const config = loadConfig({ API_KEYS: `abc:curator, sha256:${EMPTY.toUpperCase()}:reader` });
    expect([...config.apiKeys]).toEqual([
      [ABC, 'curator'],
      [EMPTY, 'reader'],
    ]);
    expect(callerFrom({ 'x-api-key': 'abc' }, config.apiKeys)).toEqual({
      role: 'curator',
      unknownKey: false,
      label: `key ${ABC.slice(0, 8)}`,
    });
    expect(callerFrom({ authorization: 'Bearer abd' }, config.apiKeys)).toEqual({ role: 'anonymous', unknownKey: true });
  });

  it('labels a key with who holds it, for the judgements curators record', () => {
    const config = loadConfig({ API_KEYS: `abc:curator:Ana Pérez (OGP data team), sha256:${EMPTY}:reader` });
    expect([...config.apiKeyLabels]).toEqual([[ABC, 'Ana Pérez (OGP data team)']]);
    expect(callerFrom({ 'x-api-key': 'abc' }, config.apiKeys, config.apiKeyLabels).label).toBe('Ana Pérez (OGP data team)');
    expect(() => loadConfig({ API_KEYS: 'abc:curator:a:b' })).toThrow(/API_KEYS/);
  });

  it('refuses a malformed key pair without echoing the key', () => {
    expect(() => loadConfig({ API_KEYS: 'secret-key-value:admin' })).toThrow(/API_KEYS/);
    expect(() => loadConfig({ API_KEYS: 'secret-key-value:admin' })).not.toThrow(/secret-key-value/);
    expect(() => loadConfig({ API_KEYS: 'sha256:abc:reader' })).toThrow(/64 hex digits/);
  });

  it('documents every variable it reads', () => {
    expect(Object.keys(ENV_VARS)).toEqual(expect.arrayContaining(['NEO4J_URI', 'NEO4J_USER', 'NEO4J_PASSWORD', 'GATEWAY_PORT']));
  });
});
