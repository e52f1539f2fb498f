// ESLint: the boundaries of the architecture, enforced (README "Layout"), and unused code.
import tseslint from 'typescript-eslint';

const SUBGRAPHS = ['actors', 'networks', 'commitments', 'funding', 'insights'];
const either = (names) => `(${names.join('|')})`;

/** A subgraph imports the kernel (services/shared) and schema/, never another subgraph, nor the tools around it. */
const subgraphRules = SUBGRAPHS.map((name) => ({
  files: [`services/${name}/**/*.ts`],
  ignores: [`services/${name}/__tests__/**`],
  rules: {
    'no-restricted-imports': ['error', { patterns: [
      { regex: `(^|/)${either(SUBGRAPHS.filter((other) => other !== name))}(/|$)`, message: 'A subgraph never imports another subgraph: share through services/shared, or ask the gateway.' },
      // Importers included: the importIati mutation gets the importer from whoever starts the server (ctx.importIati).
      { regex: '(^|/)(exports|gateway|bench|bin|web|importers)(/|$)', message: 'A subgraph does not depend on the tools that use it.' },
    ] }],
  },
}));

/** The kernel (services/shared) serves the subgraphs: it imports none of them, nor the tools around them. */
const kernelRules = {
  files: ['services/shared/**/*.ts'],
  ignores: ['**/__tests__/**'],
  rules: {
    'no-restricted-imports': ['error', { patterns: [
      { regex: `(^|/)(exports|gateway|bench|bin|web|importers|${SUBGRAPHS.join('|')})(/|$)`, message: 'The kernel does not depend on a subgraph or on the tools around it.' },
    ] }],
  },
};

/** Browser code talks to the API over HTTP: it imports its own files and browser libraries, nothing of the server. */
const browserRules = {
  files: ['web/src/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', { patterns: [
      { regex: '^\\.\\./', message: 'web/src only talks to the API: nothing outside web/src is imported into the browser.' },
    ] }],
  },
};

/** Tools around the subgraphs (exports, importers, the gateway) use the kernel, never a subgraph's internals. */
const toolRules = {
  files: ['exports/**/*.ts', 'importers/**/*.ts', 'gateway/**/*.ts'],
  ignores: ['**/__tests__/**'],
  rules: {
    'no-restricted-imports': ['error', { patterns: [
      { regex: `(^|/)services/${either(SUBGRAPHS)}(/|$)`, message: 'Only services/shared is shared; a subgraph\'s files are its own.' },
    ] }],
  },
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.data/**', 'neo4j/lib/**', 'web/dist/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  ...subgraphRules,
  kernelRules,
  browserRules,
  toolRules,
);
