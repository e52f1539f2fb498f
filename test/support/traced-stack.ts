import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { startTracing, type Tracing } from '../../gateway/tracing';
import { startStack, type Stack } from './stack';

/**
 * An in-process stack with OpenTelemetry switched on and its spans kept in memory, for a test file: started before
 * its tests, stopped after them. Read `traced.stack` inside a test (it exists once the file's tests start).
 */
export function tracedStack(): { exporter: InMemorySpanExporter; readonly stack: Stack } {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing | undefined;
  let stack: Stack | undefined;
  beforeAll(async () => {
    tracing = startTracing({ serviceName: 'ogp-graph-test', exporter });
    stack = await startStack('in-process');
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await tracing?.stop();
  });
  return {
    exporter,
    get stack() {
      return stack!;
    },
  };
}
