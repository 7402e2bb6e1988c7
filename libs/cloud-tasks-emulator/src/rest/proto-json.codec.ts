import type { PackageDefinition } from '@grpc/proto-loader';
import { invalidArgument } from '../core/rpc.error.js';

interface FieldDescriptor {
  name: string;
  label: string;
  type: string;
  typeName: string;
}

interface MessageDescriptor {
  name: string;
  field: FieldDescriptor[];
  nestedType: MessageDescriptor[];
  enumType: EnumDescriptor[];
  options?: { mapEntry?: boolean } | null;
}

interface EnumDescriptor {
  name: string;
  value: { name: string; number: number }[];
}

type Entry = { kind: 'message'; descriptor: MessageDescriptor } | { kind: 'enum'; byName: Map<string, number>; byNumber: Map<number, string> };

type Json = unknown;
type Plain = Record<string, unknown>;

export interface ToJsonOptions {
  /** Enums as numbers (`$alt=json;enum-encoding=int`, which google-gax's REST transport asks for). */
  numericEnums?: boolean;
}

const INT64 = new Set(['TYPE_INT64', 'TYPE_UINT64', 'TYPE_SINT64', 'TYPE_FIXED64', 'TYPE_SFIXED64']);
const NUMBERS = new Set(['TYPE_INT32', 'TYPE_UINT32', 'TYPE_SINT32', 'TYPE_FIXED32', 'TYPE_SFIXED32', 'TYPE_DOUBLE', 'TYPE_FLOAT', ...INT64]);
const camel = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The proto3 JSON mapping (https://protobuf.dev/programming-guides/json/) between the HTTP/JSON API and the plain
 * objects the gRPC handlers take and return (@grpc/proto-loader's shape: camelCase fields, enum names, int64 as
 * numbers, bytes as Buffers), driven by the message descriptors proto-loader already loaded.
 */
export class ProtoJsonCodec {
  private readonly types = new Map<string, Entry>();

  constructor(definition: PackageDefinition) {
    for (const [name, value] of Object.entries(definition)) {
      const { format, type } = value as { format?: string; type?: unknown };
      if (format === 'Protocol Buffer 3 DescriptorProto') this.addMessage(name, type as MessageDescriptor);
      else if (format === 'Protocol Buffer 3 EnumDescriptorProto') this.addEnum(name, type as EnumDescriptor);
    }
  }

  /** A request body (and path/query values) → the plain object a handler takes. Unknown fields answer INVALID_ARGUMENT. */
  fromJson(typeName: string, json: Json, at = ''): Plain {
    const wkt = this.wellKnownFromJson(typeName, json, at);
    if (wkt !== undefined) return wkt;
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw invalid(`Expected an object at '${at}'.`);
    const descriptor = this.message(typeName);
    const out: Plain = {};
    for (const [rawKey, value] of Object.entries(json)) {
      const key = camel(rawKey);
      const field = descriptor.field.find((f) => f.name === key);
      if (!field) throw invalid(`Unknown name "${rawKey}" at '${at}': Cannot find field.`);
      if (value === null) continue;
      out[key] = this.fieldFromJson(typeName, field, value, at ? `${at}.${rawKey}` : rawKey);
    }
    return out;
  }

  /** A handler's plain result → proto3 JSON (default values left out, as the service does). */
  toJson(typeName: string, value: Plain, options: ToJsonOptions = {}): Json {
    const wkt = wellKnownToJson(typeName, value);
    if (wkt !== undefined) return wkt;
    const descriptor = this.message(typeName);
    const out: Record<string, Json> = {};
    for (const field of descriptor.field) {
      const v = value[field.name];
      if (v === undefined || v === null) continue;
      const json = this.fieldToJson(typeName, field, v, options);
      if (json !== undefined) out[field.name] = json;
    }
    return out;
  }

  private fieldFromJson(scope: string, field: FieldDescriptor, value: Json, at: string): unknown {
    const target = field.type === 'TYPE_MESSAGE' || field.type === 'TYPE_ENUM' ? this.resolve(scope, field.typeName) : undefined;
    if (target && this.isMapEntry(target)) {
      if (typeof value !== 'object' || Array.isArray(value)) throw invalid(`Expected a map at '${at}'.`);
      const valueField = this.message(target).field.find((f) => f.name === 'value')!;
      return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, this.scalarOrMessageFromJson(target, valueField, v, `${at}.${k}`)]));
    }
    if (field.label === 'LABEL_REPEATED') {
      const items = Array.isArray(value) ? value : [value];
      return items.map((item, i) => this.scalarOrMessageFromJson(scope, field, item, `${at}[${i}]`));
    }
    return this.scalarOrMessageFromJson(scope, field, value, at);
  }

  private scalarOrMessageFromJson(scope: string, field: FieldDescriptor, value: Json, at: string): unknown {
    if (field.type === 'TYPE_MESSAGE') return this.fromJson(this.resolve(scope, field.typeName), value, at);
    if (field.type === 'TYPE_ENUM') return this.enumFromJson(this.resolve(scope, field.typeName), value, at);
    if (field.type === 'TYPE_BYTES') {
      if (typeof value !== 'string') throw invalid(`Expected base64 bytes at '${at}'.`);
      return Buffer.from(value, 'base64');
    }
    if (field.type === 'TYPE_BOOL') {
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      throw invalid(`Invalid value at '${at}' (TYPE_BOOL), ${JSON.stringify(value)}`);
    }
    if (NUMBERS.has(field.type)) {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || Number.isNaN(n)) throw invalid(`Invalid value at '${at}' (${field.type}), ${JSON.stringify(value)}`);
      return n;
    }
    if (typeof value !== 'string') throw invalid(`Invalid value at '${at}' (TYPE_STRING), ${JSON.stringify(value)}`);
    return value;
  }

  private enumFromJson(typeName: string, value: Json, at: string): string {
    const entry = this.types.get(typeName) as Extract<Entry, { kind: 'enum' }>;
    const number = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : undefined;
    const name = number !== undefined ? entry.byNumber.get(number) : typeof value === 'string' && entry.byName.has(value) ? value : undefined;
    if (name === undefined) throw invalid(`Invalid value at '${at}' (type.googleapis.com/${typeName}), ${JSON.stringify(value)}`);
    return name;
  }

  private fieldToJson(scope: string, field: FieldDescriptor, value: unknown, options: ToJsonOptions): Json {
    const target = field.type === 'TYPE_MESSAGE' || field.type === 'TYPE_ENUM' ? this.resolve(scope, field.typeName) : undefined;
    if (target && this.isMapEntry(target)) {
      const valueField = this.message(target).field.find((f) => f.name === 'value')!;
      const entries = Object.entries(value as object).map(([k, v]) => [k, this.valueToJson(target, valueField, v, options)]);
      return entries.length === 0 ? undefined : Object.fromEntries(entries);
    }
    if (field.label === 'LABEL_REPEATED') {
      const items = (value as unknown[]).map((item) => this.valueToJson(scope, field, item, options));
      return items.length === 0 ? undefined : items;
    }
    const json = this.valueToJson(scope, field, value, options);
    return json === 0 || json === '' || json === false ? undefined : json;
  }

  private valueToJson(scope: string, field: FieldDescriptor, value: unknown, options: ToJsonOptions): Json {
    switch (field.type) {
      case 'TYPE_MESSAGE':
        return this.toJson(this.resolve(scope, field.typeName), value as Plain, options);
      case 'TYPE_ENUM': {
        const entry = this.types.get(this.resolve(scope, field.typeName)) as Extract<Entry, { kind: 'enum' }>;
        const number = typeof value === 'number' ? value : (entry.byName.get(String(value)) ?? 0);
        return number === 0 ? 0 : options.numericEnums ? number : entry.byNumber.get(number);
      }
      case 'TYPE_BYTES':
        return Buffer.from(value as Uint8Array).toString('base64') || '';
      default:
        return INT64.has(field.type) ? (Number(value) === 0 ? 0 : String(value)) : (value as Json);
    }
  }

  private wellKnownFromJson(typeName: string, json: Json, at: string): Plain | undefined {
    switch (typeName) {
      case 'google.protobuf.Duration': {
        const match = typeof json === 'string' ? /^(-?)(\d+)(?:\.(\d{1,9}))?s$/.exec(json) : null;
        if (!match) throw invalid(`Invalid value at '${at}' (type.googleapis.com/google.protobuf.Duration), ${JSON.stringify(json)}`);
        const sign = match[1] ? -1 : 1;
        return { seconds: sign * Number(match[2]), nanos: sign * Number((match[3] ?? '').padEnd(9, '0')) };
      }
      case 'google.protobuf.Timestamp': {
        const ms = typeof json === 'string' ? Date.parse(json) : NaN;
        if (Number.isNaN(ms)) throw invalid(`Invalid value at '${at}' (type.googleapis.com/google.protobuf.Timestamp), ${JSON.stringify(json)}`);
        const fraction = /\.(\d{1,9})/.exec(String(json))?.[1] ?? '';
        return { seconds: Math.floor(ms / 1000), nanos: Number(fraction.padEnd(9, '0')) };
      }
      case 'google.protobuf.FieldMask':
        if (typeof json !== 'string') throw invalid(`Invalid value at '${at}' (type.googleapis.com/google.protobuf.FieldMask), ${JSON.stringify(json)}`);
        return { paths: json === '' ? [] : json.split(',').map((p) => snake(p.trim())) };
      case 'google.protobuf.Empty':
        return {};
      default:
        return undefined;
    }
  }

  private message(typeName: string): MessageDescriptor {
    const entry = this.types.get(typeName);
    if (entry?.kind !== 'message') throw new Error(`Unknown message type ${typeName}.`);
    return entry.descriptor;
  }

  private isMapEntry(typeName: string): boolean {
    const entry = this.types.get(typeName);
    return entry?.kind === 'message' && entry.descriptor.options?.mapEntry === true;
  }

  /** Resolves a type reference the protobuf way: innermost scope first. */
  private resolve(scope: string, typeName: string): string {
    if (typeName.startsWith('.')) return typeName.slice(1);
    for (let s = scope; ; s = s.slice(0, Math.max(0, s.lastIndexOf('.')))) {
      const candidate = s ? `${s}.${typeName}` : typeName;
      if (this.types.has(candidate)) return candidate;
      if (!s) throw new Error(`Cannot resolve type ${typeName} from ${scope}.`);
    }
  }

  private addMessage(name: string, descriptor: MessageDescriptor): void {
    this.types.set(name, { kind: 'message', descriptor });
    for (const nested of descriptor.nestedType ?? []) this.addMessage(`${name}.${nested.name}`, nested);
    for (const nested of descriptor.enumType ?? []) this.addEnum(`${name}.${nested.name}`, nested);
  }

  private addEnum(name: string, descriptor: EnumDescriptor): void {
    this.types.set(name, {
      kind: 'enum',
      byName: new Map(descriptor.value.map((v) => [v.name, v.number])),
      byNumber: new Map(descriptor.value.map((v) => [v.number, v.name])),
    });
  }
}

function wellKnownToJson(typeName: string, value: Plain): Json | undefined {
  switch (typeName) {
    case 'google.protobuf.Duration': {
      const seconds = Number(value.seconds ?? 0);
      const nanos = Number(value.nanos ?? 0);
      return `${seconds}${nanos ? `.${String(Math.abs(nanos)).padStart(9, '0').replace(/0+$/, '')}` : ''}s`;
    }
    case 'google.protobuf.Timestamp': {
      const seconds = Number(value.seconds ?? 0);
      const nanos = Number(value.nanos ?? 0);
      const iso = new Date(seconds * 1000).toISOString().replace('.000Z', '');
      return `${iso}${nanos ? `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}` : ''}Z`;
    }
    case 'google.protobuf.FieldMask':
      return ((value.paths as string[] | undefined) ?? []).map(camel).join(',');
    case 'google.protobuf.Empty':
      return {};
    default:
      return undefined;
  }
}

function invalid(detail: string) {
  return invalidArgument(`Invalid JSON payload received. ${detail}`);
}
