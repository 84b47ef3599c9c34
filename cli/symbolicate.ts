/**
 * Maps the stack frames of a deployed function's log line back to the TypeScript source, offline. Functions ship their
 * source map beside the bundle but do not load it at cold start (parsing it is init time every cold start pays, for the
 * rare error that needs it; see lib/constructs/function-bundling.ts), so the frames in CloudWatch point into the minified
 * `index.js`. Node's own `module.SourceMap` reads the map: no dependency.
 */
import { SourceMap, type SourceMapPayload } from 'node:module';

/** A frame position in the bundle: `index.js:<line>:<column>` (1-based, as V8 prints them), in a stack or a JSON log line. */
const FRAME = /([\w./\\-]*index\.(?:c|m)?js):(\d+):(\d+)/g;

export interface SymbolicateResult {
  readonly text: string;
  /** Frames found, and how many of them the map resolved. */
  readonly frames: number;
  readonly resolved: number;
}

/** Rewrites every bundle position in `text` to `<source>:<line>:<column>` (and the original name, when the map has it). */
export function symbolicate(text: string, map: SourceMapPayload): SymbolicateResult {
  const sourceMap = new SourceMap(map);
  let frames = 0;
  let resolved = 0;
  const out = text.replace(FRAME, (whole, _file: string, line: string, column: string) => {
    frames += 1;
    // findEntry takes 0-based offsets; an unmapped position answers an empty object.
    const entry = sourceMap.findEntry(Number(line) - 1, Number(column) - 1) as Partial<{
      originalSource: string;
      originalLine: number;
      originalColumn: number;
      name: string;
    }>;
    if (entry.originalSource === undefined || entry.originalLine === undefined) return whole;
    resolved += 1;
    const source = entry.originalSource.replace(/^(?:\.\.\/)+/, '');
    const position = `${source}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
    return entry.name ? `${position} [${entry.name}]` : position;
  });
  return { text: out, frames, resolved };
}

/** The map file's JSON, checked enough to give a clear error instead of a TypeError deep inside `SourceMap`. */
export function parseSourceMap(raw: string): SourceMapPayload {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('not JSON: expected the function bundle\'s index.js.map');
  }
  const map = parsed as Partial<SourceMapPayload>;
  if (map.version !== 3 || typeof map.mappings !== 'string' || !Array.isArray(map.sources)) {
    throw new Error('not a version 3 source map (expected version, sources and mappings)');
  }
  return map as SourceMapPayload;
}
