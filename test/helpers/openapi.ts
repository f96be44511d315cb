/** Reading the hub's OpenAPI document in tests: the Nest routes behind it, and a strict response check. */
import { RequestMethod, type INestApplicationContext } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';

export interface OpenApiSchema {
  $ref?: string;
  type?: string;
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  allOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  additionalProperties?: boolean | OpenApiSchema;
}

export interface OpenApiResponse {
  description?: string;
  content?: Record<string, { schema?: OpenApiSchema }>;
}

export interface OpenApiOperation {
  responses?: Record<string, OpenApiResponse>;
  deprecated?: boolean;
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, OpenApiSchema> };
}

export interface NestRoute {
  /** e.g. "GET /api/v1/me/servers/{id}" (OpenAPI path spelling) */
  key: string;
  method: string;
  path: string;
  /** the status code Nest answers with on success */
  status: number;
  excluded: boolean;
  handler: string;
}

/** Every controller route of the booted app, with its success status and whether it is hidden from the docs. */
export function nestRoutes(app: INestApplicationContext): NestRoute[] {
  const out: NestRoute[] = [];
  const seen = new Set<unknown>();
  for (const mod of app.get(ModulesContainer, { strict: false }).values()) {
    for (const wrapper of mod.controllers.values()) {
      const ctrl = wrapper.metatype as (new (...a: unknown[]) => unknown) | null;
      if (!ctrl || seen.has(ctrl)) continue;
      seen.add(ctrl);
      const bases = [Reflect.getMetadata(PATH_METADATA, ctrl) ?? ''].flat() as string[];
      const ctrlExcluded = !!Reflect.getMetadata(DECORATORS.API_EXCLUDE_CONTROLLER, ctrl)?.[0];
      for (const name of Object.getOwnPropertyNames(ctrl.prototype)) {
        const handler = (ctrl.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler);
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (path === undefined || method === undefined) continue;
        const verb = RequestMethod[method];
        const status = Reflect.getMetadata(HTTP_CODE_METADATA, handler) ?? (verb === 'POST' ? 201 : 200);
        const excluded = ctrlExcluded || !!Reflect.getMetadata(DECORATORS.API_EXCLUDE_ENDPOINT, handler)?.disable;
        for (const b of bases) {
          for (const p of [path].flat() as string[]) {
            const full = `/${[b, p]
              .map((s) => s.replace(/^\/+|\/+$/g, ''))
              .filter(Boolean)
              .join('/')}`.replace(/:(\w+)/g, '{$1}');
            out.push({
              key: `${verb} ${full}`,
              method: verb.toLowerCase(),
              path: full,
              status,
              excluded,
              handler: `${ctrl.name}.${name}`,
            });
          }
        }
      }
    }
  }
  return out;
}

export function resolve(doc: OpenApiDoc, s: OpenApiSchema): OpenApiSchema {
  let cur = s;
  for (let i = 0; cur.$ref && i < 20; i++) {
    cur = doc.components.schemas[cur.$ref.replace('#/components/schemas/', '')] ?? {};
  }
  return cur;
}

const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  uri: /^(https?|wss?):\/\/\S+$/,
  email: /^[^@\s]+@[^@\s]+$/,
};

/**
 * Problems of `value` against `schema`, strictly: every required key present, no key the schema does
 * not declare, types, nullability, enums and formats. An empty list means the value conforms.
 */
export function schemaProblems(doc: OpenApiDoc, schema: OpenApiSchema, value: unknown, at = '$'): string[] {
  const s = resolve(doc, schema);
  if (value === null) return s.nullable ? [] : [`${at}: null, but not nullable`];
  if (s.allOf) return s.allOf.flatMap((part) => schemaProblems(doc, part, value, at));
  if (s.oneOf) {
    const each = s.oneOf.map((part) => schemaProblems(doc, part, value, at));
    const fits = each.filter((p) => p.length === 0).length;
    if (fits === 1) return [];
    return fits > 1 ? [`${at}: fits more than one of oneOf`] : each.reduce((a, b) => (b.length < a.length ? b : a));
  }
  const out: string[] = [];
  if (s.enum && !s.enum.includes(value)) {
    out.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);
  }
  const type = s.type ?? (s.properties ? 'object' : undefined);
  switch (type) {
    case 'string':
      if (typeof value !== 'string') {
        out.push(`${at}: expected a string, got ${JSON.stringify(value)}`);
      } else if (s.format && FORMATS[s.format] && !FORMATS[s.format].test(value)) {
        out.push(`${at}: "${value}" is not a ${s.format}`);
      }
      break;
    case 'integer':
      if (!Number.isInteger(value)) out.push(`${at}: expected an integer, got ${JSON.stringify(value)}`);
      break;
    case 'number':
      if (typeof value !== 'number') out.push(`${at}: expected a number, got ${JSON.stringify(value)}`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') out.push(`${at}: expected a boolean, got ${JSON.stringify(value)}`);
      break;
    case 'array':
      if (!Array.isArray(value)) out.push(`${at}: expected an array`);
      else if (s.items) value.forEach((v, i) => out.push(...schemaProblems(doc, s.items!, v, `${at}[${i}]`)));
      break;
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        out.push(`${at}: expected an object`);
        break;
      }
      if (!s.properties) break; // free-form (additionalProperties)
      const obj = value as Record<string, unknown>;
      for (const k of s.required ?? []) if (!(k in obj)) out.push(`${at}.${k}: required, missing`);
      for (const [k, v] of Object.entries(obj)) {
        const p = s.properties[k];
        if (!p) out.push(`${at}.${k}: sent but not declared`);
        else out.push(...schemaProblems(doc, p, v, `${at}.${k}`));
      }
      break;
    }
    default:
      out.push(`${at}: the schema declares no type`);
  }
  return out;
}

/** The JSON schema declared for `status` of an operation, or undefined. */
export function responseSchema(
  doc: OpenApiDoc,
  method: string,
  path: string,
  status: number,
): OpenApiSchema | undefined {
  return doc.paths[path]?.[method]?.responses?.[String(status)]?.content?.['application/json']?.schema;
}

/** Property names of a declared schema (after $ref / allOf). */
export function declaredKeys(doc: OpenApiDoc, schema: OpenApiSchema): string[] {
  const s = resolve(doc, schema);
  if (s.allOf) return s.allOf.flatMap((p) => declaredKeys(doc, p));
  if (s.oneOf) return [...new Set(s.oneOf.flatMap((p) => declaredKeys(doc, p)))];
  return Object.keys(s.properties ?? {});
}
