/**
 * The line formats of table dumps, read and written one line at a time:
 * - `dynamodb`: DynamoDB JSON as ExportTableToPointInTime writes it, `{"Item":{"subjectId":{"S":"…"}}}`; one table per file,
 *   so the store comes from an option;
 * - `jsonl`: one plain JSON item per line, either bare (store from an option) or wrapped as `{"store":"users","item":{…}}`.
 *
 * DynamoDB JSON is converted to plain values without loss: numbers stay exact (`DynamoNumber`), binary is bytes, sets are
 * `Set`s, so an item written back has the same types it was read with.
 */
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { OpsInputError } from './errors';

export type DumpFormat = 'dynamodb' | 'jsonl';

/** A DynamoDB number kept as its decimal text: a float would silently change large or precise numbers. */
export class DynamoNumber {
  constructor(readonly text: string) {}
}

export type PlainValue =
  | string
  | number
  | boolean
  | null
  | DynamoNumber
  | Uint8Array
  | Set<string | DynamoNumber | Uint8Array>
  | PlainValue[]
  | { [key: string]: PlainValue };

export type PlainItem = Record<string, PlainValue>;

export interface DumpLine {
  readonly format: DumpFormat;
  /** Set when the line names its store (wrapped JSON lines). */
  readonly store?: string;
  readonly wrapped: boolean;
  readonly item: PlainItem;
}

type AttributeValue = Record<string, unknown>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function fromAttribute(av: AttributeValue, where: string): PlainValue {
  const [type, value] = Object.entries(av)[0] ?? [];
  switch (type) {
    case 'S':
      return value as string;
    case 'N':
      return new DynamoNumber(value as string);
    case 'B':
      return new Uint8Array(Buffer.from(value as string, 'base64'));
    case 'BOOL':
      return value as boolean;
    case 'NULL':
      return null;
    case 'SS':
      return new Set(value as string[]);
    case 'NS':
      return new Set((value as string[]).map((n) => new DynamoNumber(n)));
    case 'BS':
      return new Set((value as string[]).map((b) => new Uint8Array(Buffer.from(b, 'base64'))));
    case 'L':
      return (value as AttributeValue[]).map((v) => fromAttribute(v, where));
    case 'M':
      return Object.fromEntries(Object.entries(value as Record<string, AttributeValue>).map(([k, v]) => [k, fromAttribute(v, where)]));
    default:
      throw new OpsInputError(`${where}: not DynamoDB JSON (attribute type ${JSON.stringify(type ?? '')})`);
  }
}

export function toAttribute(value: PlainValue): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value === null) return { NULL: true };
  if (value instanceof DynamoNumber) return { N: value.text };
  if (value instanceof Uint8Array) return { B: Buffer.from(value).toString('base64') };
  if (value instanceof Set) {
    const members = [...value];
    if (members.every((m) => typeof m === 'string')) return { SS: members };
    if (members.every((m) => m instanceof DynamoNumber)) return { NS: members.map((m) => (m as DynamoNumber).text) };
    return { BS: members.map((m) => Buffer.from(m as Uint8Array).toString('base64')) };
  }
  if (Array.isArray(value)) return { L: value.map(toAttribute) };
  return { M: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toAttribute(v)])) };
}

/** Parses one non-empty line; `where` (file:line) goes into error messages, never the line's content. */
export function parseDumpLine(text: string, where: string, format?: DumpFormat): DumpLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new OpsInputError(`${where}: not valid JSON`);
  }
  if (!isObject(parsed)) throw new OpsInputError(`${where}: a line must be a JSON object`);
  const keys = Object.keys(parsed);
  const looksDynamo = keys.length === 1 && keys[0] === 'Item' && isObject(parsed.Item);
  if (format === 'dynamodb' || (format === undefined && looksDynamo)) {
    if (!looksDynamo) throw new OpsInputError(`${where}: expected a DynamoDB export line {"Item":{…}}`);
    const item = Object.fromEntries(
      Object.entries(parsed.Item as Record<string, unknown>).map(([k, v]) => {
        if (!isObject(v)) throw new OpsInputError(`${where}: attribute ${k} is not DynamoDB JSON`);
        return [k, fromAttribute(v, `${where} attribute ${k}`)];
      }),
    );
    return { format: 'dynamodb', wrapped: false, item };
  }
  const wrapped = keys.length === 2 && typeof parsed.store === 'string' && isObject(parsed.item);
  if (wrapped) return { format: 'jsonl', store: parsed.store as string, wrapped: true, item: parsed.item as PlainItem };
  return { format: 'jsonl', wrapped: false, item: parsed as PlainItem };
}

/** Writes a line back in the format and shape it was read in. */
export function formatDumpLine(line: Pick<DumpLine, 'format' | 'wrapped' | 'store'>, item: PlainItem): string {
  if (line.format === 'dynamodb') {
    return JSON.stringify({ Item: Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toAttribute(v)])) });
  }
  return JSON.stringify(line.wrapped ? { store: line.store, item } : item);
}

/** The value as the document client writes it: DynamoDB numbers stay exact (`NumberValue`), sets and bytes as they are. */
export function toDocumentValue(value: PlainValue): unknown {
  if (value instanceof DynamoNumber) return NumberValue.from(value.text);
  if (value instanceof Set) return new Set([...value].map((m) => toDocumentValue(m as PlainValue)));
  if (Array.isArray(value)) return value.map(toDocumentValue);
  if (isObject(value) && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toDocumentValue(v as PlainValue)]));
  }
  return value;
}
