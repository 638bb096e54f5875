// The Node `jaeger-client` reporting straight to a Jaeger collector over HTTP (`collectorEndpoint`: binary
// Thrift `Batch` to POST /api/traces). Run as `node jaeger_node_client.js http://HOST:PORT/api/traces`; prints
// the trace and span ids it sent as JSON.
const { initTracer } = require('jaeger-client');

const tracer = initTracer(
  {
    serviceName: 'node-checkout',
    sampler: { type: 'const', param: 1 },
    reporter: { collectorEndpoint: process.argv[2], flushIntervalMs: 100 },
  },
  { tags: { 'deploy.env': 'interop' } },
);
const parent = tracer.startSpan('checkout');
parent.setTag('customer', 'ada');
parent.setTag('items', 3);
parent.log({ event: 'payment', amount: 12.5 });
const child = tracer.startSpan('charge-card', { childOf: parent });
child.setTag('error', true);
child.setTag('span.kind', 'client');
child.finish();
parent.finish();
const ids = {
  trace_id: parent.context().traceIdStr,
  root: parent.context().spanIdStr,
  child: child.context().spanIdStr,
};
tracer.close(() => console.log(JSON.stringify(ids)));
