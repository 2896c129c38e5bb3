/** The OpenAPI document and the Express app describe the same endpoints, both ways. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createApp, openapiPath } from '../../../api/app.js';
import type { ApiDeps } from '../../../api/deps.js';
import { DEFAULT_TEXT_LIMIT, TEXT_LIMITS } from '../../../invoice/text-limits.js';

const METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;

function documented(): string[] {
  const doc = parse(readFileSync(openapiPath, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => m in item).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
  );
}

function implemented(): string[] {
  // Building the app touches none of its dependencies; only the route table is read.
  const app = createApp({ log: () => undefined, bodyLimit: '1mb' } as unknown as ApiDeps);
  const routes: string[] = [];
  const walk = (stack: any[]) => {
    for (const layer of stack) {
      if (layer.route) for (const m of Object.keys(layer.route.methods)) routes.push(`${m.toUpperCase()} ${layer.route.path}`);
      else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as any).router.stack);
  return routes;
}

describe('OpenAPI document', () => {
  it('documents every route the app serves, and nothing it does not', () => {
    expect(new Set(documented())).toEqual(new Set(implemented()));
    expect(implemented().length).toBeGreaterThan(10);
  });

  it('describes the one error shape with rule, severity, message and path', () => {
    const doc = parse(readFileSync(openapiPath, 'utf8'));
    expect(doc.components.schemas.Issue.required).toEqual(['rule', 'severity', 'message', 'path']);
  });
});

describe('OpenAPI InvoiceJson: length limits', () => {
  it('gives every text field the maxLength the API enforces (invoice/text-limits.ts)', () => {
    const doc = parse(readFileSync(openapiPath, 'utf8'));
    const seen = new Map<string, number | undefined>();
    const visited = new Set<unknown>();
    const walk = (schema: any, field: string): void => {
      if (!schema || visited.has(schema)) return;
      if (schema.$ref) return walk(doc.components.schemas[schema.$ref.split('/').pop()], field);
      visited.add(schema);
      for (const part of schema.allOf ?? []) walk(part, field);
      if (schema.items) walk(schema.items, field);
      if (schema.type === 'string' && schema.format !== 'date') seen.set(field, schema.maxLength);
      for (const [name, property] of Object.entries(schema.properties ?? {})) walk(property, name);
    };
    walk(doc.components.schemas.InvoiceJson, '');
    expect(seen.size).toBeGreaterThan(50);
    for (const [field, maxLength] of seen) {
      if (field === 'contentBase64') expect(maxLength, field).toBeUndefined();
      else expect(maxLength, field).toBe(TEXT_LIMITS[field] ?? DEFAULT_TEXT_LIMIT);
    }
  });
});
