/*
 * Imported first by every server entry point (and the benches, which measure servers as deployed): unless the
 * environment says otherwise, run as production. graphql-js reads NODE_ENV once, when it is first loaded, and in
 * development checks every failed `instanceof` for a second copy of itself (about 3% of a request's CPU);
 * Apollo Server's production defaults are all set explicitly where they matter (introspection, stack traces).
 */
process.env.NODE_ENV ??= 'production';
