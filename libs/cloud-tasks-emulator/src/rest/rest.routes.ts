import { status } from '@grpc/grpc-js';
import type http from 'node:http';
import { RpcError, invalidArgument } from '../core/rpc.error.js';
import type { ServiceProtos } from '../grpc/proto.loader.js';
import type { RpcMethods } from '../grpc/rpc.methods.js';
import { readBody, sendJson, type RouteHandler } from '../http/http.handler.js';
import { ProtoJsonCodec } from './proto-json.codec.js';

interface HttpRule {
  get?: string;
  post?: string;
  patch?: string;
  put?: string;
  delete?: string;
  body?: string;
}

interface RestRoute {
  rpc: string;
  template: string;
  method: string;
  pattern: RegExp;
  /** Request field paths bound by the URL's variables, in order (`parent`, `queue.name`). */
  variables: string[];
  /** `'*'` (the whole request), a field name, or `''` (no body). */
  body: string;
  requestType: string;
  responseType: string;
}

/** google.rpc.Code → HTTP status (https://cloud.google.com/apis/design/errors#handling_errors). */
const HTTP_STATUS: Record<number, number> = {
  [status.CANCELLED]: 499,
  [status.UNKNOWN]: 500,
  [status.INVALID_ARGUMENT]: 400,
  [status.DEADLINE_EXCEEDED]: 504,
  [status.NOT_FOUND]: 404,
  [status.ALREADY_EXISTS]: 409,
  [status.PERMISSION_DENIED]: 403,
  [status.RESOURCE_EXHAUSTED]: 429,
  [status.FAILED_PRECONDITION]: 400,
  [status.ABORTED]: 409,
  [status.OUT_OF_RANGE]: 400,
  [status.UNIMPLEMENTED]: 501,
  [status.INTERNAL]: 500,
  [status.UNAVAILABLE]: 503,
  [status.DATA_LOSS]: 500,
  [status.UNAUTHENTICATED]: 401,
};
/** Google's system query parameters, which are not request fields. */
const SYSTEM_PARAMS = new Set(['alt', 'fields', 'key', 'prettyPrint', 'quotaUser', 'access_token', 'callback', 'upload_protocol', 'uploadType']);
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** A service served over HTTP/JSON: its protos (for the routes and the JSON mapping) and the methods answering. */
export interface RestService {
  protos: ServiceProtos;
  methods: RpcMethods;
}

interface CompiledService {
  name: string;
  /** `/v2/` (Cloud Tasks), `/v1/` (Cloud Scheduler): the version segment every route of the service starts with. */
  prefix: string;
  routes: RestRoute[];
  codec: ProtoJsonCodec;
  methods: RpcMethods;
}

/**
 * The HTTP/JSON APIs of the services (Cloud Tasks' `/v2/projects/{project}/locations/{location}/queues…`, `:run`,
 * `:pause`, `:resume`, `:purge`, the IAM verbs; Cloud Scheduler's `/v1/…/jobs…`), built from the `google.api.http`
 * rules of the same .proto files the gRPC server serves and answered by the same methods: one core, two transports,
 * the same status codes (as HTTP statuses with `{ error: { code, message, status } }`, the shape google-gax's REST
 * transport decodes).
 */
export function restRoutes(services: readonly RestService[]): RouteHandler {
  const compiled: CompiledService[] = services.map(({ protos, methods }) => {
    const routes = buildRoutes(protos);
    return { name: protos.serviceName, prefix: `/${routes[0].template.split('/')[1]}/`, routes, codec: new ProtoJsonCodec(protos.definition), methods };
  });
  return (req, res, url) => {
    const service = compiled.find((s) => url.pathname.startsWith(s.prefix));
    if (!service) return false;
    void serve(req, res, url, service);
    return true;
  };
}

async function serve(req: http.IncomingMessage, res: http.ServerResponse, url: URL, { name, prefix, routes, codec, methods }: CompiledService): Promise<void> {
  try {
    const path = decodeURIComponent(url.pathname);
    let match: RegExpExecArray | null = null;
    const route = routes.find((r) => r.method === req.method && (match = r.pattern.exec(path)) !== null);
    if (!route || !match) {
      throw new RpcError(status.NOT_FOUND, `No ${name} REST method at ${req.method} ${url.pathname}: the emulator serves its API under ${prefix}projects/*/locations/*.`);
    }
    const request: Record<string, unknown> = {};
    const raw = (await readBody(req, MAX_BODY_BYTES)).toString('utf8');
    if (route.body && raw.trim() !== '') {
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        throw invalidArgument('Invalid JSON payload received. Unexpected token.');
      }
      if (route.body === '*') Object.assign(request, body);
      else request[route.body] = body;
    }
    for (const [key, value] of url.searchParams) {
      if (key.startsWith('$') || SYSTEM_PARAMS.has(key)) continue;
      setPath(request, key, value);
    }
    route.variables.forEach((variable, i) => setPath(request, variable, match![i + 1]));
    const numericEnums = /enum-encoding=int/.test(url.searchParams.get('$alt') ?? '');
    const response = methods[route.rpc](codec.fromJson(route.requestType, request) as never);
    sendJson(res, 200, codec.toJson(route.responseType, response as Record<string, unknown>, { numericEnums }));
  } catch (error) {
    const rpc = error instanceof RpcError ? error : new RpcError(status.INTERNAL, `Emulator error: ${(error as Error).message}`);
    const httpStatus = HTTP_STATUS[rpc.code] ?? 500;
    sendJson(res, httpStatus, { error: { code: httpStatus, message: rpc.message, status: status[rpc.code] } });
  }
}

function buildRoutes({ definition, serviceName }: ServiceProtos): RestRoute[] {
  const service = definition[serviceName] as unknown as Record<
    string,
    { options: Record<string, unknown>; requestType: unknown; responseType: unknown }
  >;
  const routes: RestRoute[] = [];
  for (const [rpc, method] of Object.entries(service)) {
    const rule = method.options['(google.api.http)'] as HttpRule | undefined;
    if (!rule) continue;
    const verb = (['get', 'post', 'patch', 'put', 'delete'] as const).find((v) => rule[v]);
    if (!verb) continue;
    const { pattern, variables } = compileTemplate(rule[verb]!);
    routes.push({
      rpc,
      template: rule[verb]!,
      method: verb.toUpperCase(),
      pattern,
      variables,
      body: rule.body ?? '',
      requestType: qualified(definition, method.requestType),
      responseType: qualified(definition, method.responseType),
    });
  }
  return routes;
}

/** A path template such as `/v2/{parent=projects/STAR/locations/STAR}/queues` → a regular expression capturing each variable. */
function compileTemplate(template: string): { pattern: RegExp; variables: string[] } {
  const variables: string[] = [];
  const source = template.replace(/\{([^}=]+)(?:=([^}]*))?\}|([^{]+)/g, (_, variable: string | undefined, inner: string | undefined, literal: string | undefined) => {
    if (literal !== undefined) return escape(literal);
    variables.push(variable!);
    const segments = (inner ?? '*').split('/').map((s) => (s === '**' ? '.+' : s === '*' ? '[^/]+' : escape(s)));
    return `(${segments.join('/')})`;
  });
  return { pattern: new RegExp(`^${source}$`), variables };
}

function qualified(definition: ServiceProtos['definition'], messageType: unknown): string {
  const { type } = messageType as { type: { name: string } };
  const entry = Object.entries(definition).find(([name, value]) => name.endsWith(`.${type.name}`) && JSON.stringify((value as { type: unknown }).type) === JSON.stringify(type));
  if (!entry) throw new Error(`The message type ${type.name} is missing from the loaded protos.`);
  return entry[0];
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
