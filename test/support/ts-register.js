// Lets a child process started by a test run our TypeScript directly (node -r ./test/support/ts-register.js x.ts),
// so end-to-end tests exercise the same entry points as `npm start` without a separate build step.
const ts = require('typescript');
const fs = require('node:fs');
// No reflect-metadata here: entry points must import it themselves, as they do when compiled (dist/bin).
const options = {
  module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true,
  experimentalDecorators: true, emitDecoratorMetadata: true, resolveJsonModule: true, sourceMap: false,
};
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { compilerOptions: options, fileName: filename });
  module._compile(outputText, filename);
};
