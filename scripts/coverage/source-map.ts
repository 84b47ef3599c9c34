/**
 * Just enough of source maps (v3) to find, for a position in a TypeScript file, where its code sits in the JavaScript
 * that ran. Kept local rather than importing a transitive dependency of jest or c8.
 */
import type { SourcePosition, SourceSpan } from './probes';

export interface RawSourceMap {
  readonly version?: number;
  readonly sources: readonly (string | null)[];
  readonly sourceRoot?: string;
  readonly mappings: string;
}

/** One mapping: a generated offset (UTF-16 units into the script) and the original position it came from. */
interface Segment {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Map([...BASE64].map((c, i) => [c, i]));

/** Decodes one VLQ group (a segment) into its fields. */
function decodeGroup(group: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of group) {
    const digit = BASE64_VALUE.get(char);
    if (digit === undefined) throw new Error(`invalid base64 VLQ character ${JSON.stringify(char)}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

const compare = (a: SourcePosition, b: SourcePosition) => a.line - b.line || a.column - b.column;

/**
 * The mappings of one source of one generated script, sorted by original position, for "where did this code run" lookups.
 * `lineStarts[i]` is the offset of generated line i.
 */
export class OriginalPositionIndex {
  private readonly segments: Segment[] = [];

  constructor(map: RawSourceMap, sourceIndex: number, lineStarts: readonly number[]) {
    let source = 0;
    let originalLine = 0;
    let originalColumn = 0;
    const lines = map.mappings.split(';');
    for (let generatedLine = 0; generatedLine < lines.length; generatedLine++) {
      let generatedColumn = 0;
      const lineStart = lineStarts[generatedLine];
      for (const group of lines[generatedLine]!.split(',')) {
        if (!group) continue;
        const fields = decodeGroup(group);
        generatedColumn += fields[0]!;
        if (fields.length < 4) continue; // a segment that maps to no source
        source += fields[1]!;
        originalLine += fields[2]!;
        originalColumn += fields[3]!;
        if (source === sourceIndex && lineStart !== undefined) {
          this.segments.push({ line: originalLine, column: originalColumn, offset: lineStart + generatedColumn });
        }
      }
    }
    this.segments.sort((a, b) => compare(a, b) || a.offset - b.offset);
  }

  /** The generated offset of the first mapped original position in [span.start, span.end), or undefined when none is. */
  generatedOffset(span: SourceSpan): number | undefined {
    let low = 0;
    let high = this.segments.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compare(this.segments[mid]!, span.start) < 0) low = mid + 1;
      else high = mid;
    }
    const found = this.segments[low];
    return found && compare(found, span.end) < 0 ? found.offset : undefined;
  }
}

/** Offsets of each line's first character, splitting like V8 and Node do (on \n; \r stays in the line). */
export function lineStartsOf(code: string): number[] {
  const starts = [0];
  for (let i = code.indexOf('\n'); i !== -1; i = code.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Same, from the line lengths Node writes into a NODE_V8_COVERAGE source-map-cache entry. */
export function lineStartsFromLengths(lengths: readonly number[]): number[] {
  const starts: number[] = [];
  let offset = 0;
  for (const length of lengths) {
    starts.push(offset);
    offset += length + 1;
  }
  return starts;
}
