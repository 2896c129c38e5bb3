/** Prometheus metrics of the process (GET /metrics). */
import client from 'prom-client';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

export const httpRequests = new client.Counter({
  name: 'fakturaflyt_http_requests_total',
  help: 'HTTP requests by route and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const ruleReloads = new client.Counter({
  name: 'fakturaflyt_rules_reloads_total',
  help: 'Rule folder changes by outcome (activated or rejected)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const ruleDecisions = new client.Counter({
  name: 'fakturaflyt_routing_decisions_total',
  help: 'Routing decisions by rule',
  labelNames: ['rule'] as const,
  registers: [registry],
});

export const workflowStarts = new client.Counter({
  name: 'fakturaflyt_workflow_starts_total',
  help: 'Invoice workflows started, by whether the engine handed the first task straight to this process (eager start)',
  labelNames: ['eager'] as const,
  registers: [registry],
});
