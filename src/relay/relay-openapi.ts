import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * OpenAPI entries for the routes Nest's scanner cannot see: the relay proxy (registered straight on
 * Fastify so bodies stream), the tunnel and client-channel WebSockets (HTTP upgrades), and
 * /metrics (plain text, excluded from the controller scan).
 */
type Op = Record<string, unknown>;

const err = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/RelayError' } } },
});

function proxyOp(method: string): Op {
  return {
    tags: ['relay'],
    summary: `${method.toUpperCase()} through the server's tunnel`,
    description:
      'HTTP to the server, relayed over its tunnel and streamed both ways. The owner may do everything; a grantee what the ' +
      'share allows, judged on the request and, before any body byte, on the response (docs/sharing.md: view / play / download). ' +
      'The path is normalised once and that path is what the server receives. Use the relay_url of a server view as the base.',
    security: [{ bearer: [] }],
    parameters: [
      { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
      {
        name: 'path',
        in: 'path',
        required: true,
        description: 'the server path (may contain /)',
        schema: { type: 'string' },
      },
    ],
    responses: {
      '200': { description: "the server's answer (any status, headers and body the share allows)" },
      '400': err('relay.bad_path: the path cannot be relayed'),
      '401': err('auth.required / auth.invalid_token'),
      '403': err('relay.access_denied: the share does not allow this request or this response'),
      '404': err('server.not_found: no such server, or no share of it'),
      '429': err('relay.rate_limited'),
      '502': err('relay.bad_gateway'),
      '503': err('relay.server_unreachable / relay.quota_exceeded / relay.stream_limit'),
      '504': err('relay.timeout'),
    },
  };
}

export function addRelayPaths(doc: OpenAPIObject): OpenAPIObject {
  const proxy: Record<string, Op> = {};
  for (const m of ['get', 'head', 'post', 'put', 'patch', 'delete', 'options']) proxy[m] = proxyOp(m);
  doc.paths['/api/v1/servers/{id}/proxy/{path}'] = proxy;
  doc.paths['/api/v1/relay/tunnel'] = {
    get: {
      tags: ['relay'],
      summary: 'Server tunnel (WebSocket upgrade)',
      description:
        'A media server or the agent keeps this WebSocket open; the first message is a JSON HELLO carrying the enrollment JWT, then binary frames (docs/protocol/wire.md). Also on HUB_RELAY_PORT.',
      security: [],
      responses: { '101': { description: 'switching protocols; refused HELLOs close with 1008 and a reason' } },
    },
  };
  doc.paths['/api/v1/relay/client/{server_id}'] = {
    get: {
      tags: ['relay'],
      summary: 'Raw client channel (WebSocket upgrade)',
      description:
        'Bytes to and from the server over its tunnel. Token from POST /api/v1/me/servers/{id}/relay-token in Authorization: Bearer or the ' +
        '`bearer` subprotocol (never the query). Owners only, unless the owner allowed raw channels on a whole-server download share; a ' +
        "grantee's channel carries HTTP read requests only. Close codes: 4401 unauthorized, 4403 access_denied / quota, 4429 rate limited, 1013 not connected / stream limit.",
      security: [{ bearer: [] }],
      parameters: [{ name: 'server_id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      responses: {
        '101': { description: 'switching protocols; refusals close the socket after the upgrade with the codes above' },
      },
    },
  };
  doc.paths['/metrics'] = {
    get: {
      tags: ['metrics'],
      summary: 'Prometheus metrics',
      description: 'Bearer HUB_METRICS_TOKEN when configured; else loopback only unless HUB_METRICS_PUBLIC.',
      security: [{ bearer: [] }, {}],
      responses: {
        '200': {
          description: 'Prometheus text format',
          content: { 'text/plain; version=0.0.4': { schema: { type: 'string' } } },
        },
        '403': err('metrics.forbidden'),
      },
    },
  };
  doc.components ??= {};
  doc.components.schemas ??= {};
  doc.components.schemas.RelayError = {
    type: 'object',
    required: ['error', 'code'],
    properties: { error: { type: 'string' }, code: { type: 'string' } },
  };
  return doc;
}
