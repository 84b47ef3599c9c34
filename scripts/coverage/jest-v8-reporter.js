/**
 * A jest reporter that keeps the raw V8 coverage of the code jest ran in-process (unit and infra tests), with the code swc
 * produced and its source map, and writes it as `jest-<pid>.json` into FMN_PII_COVERAGE_DIR for `npm run coverage:pii`.
 * Raw rather than jest's istanbul output, so it can be combined with the local cloud's coverage (other processes, another
 * transpiler) position by position; see scripts/coverage/v8-hits.ts.
 *
 * Plain CommonJS because jest loads reporters without transforming them.
 */
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join, sep } = require('node:path');

const INLINE_MAP = /\/\/[#@] sourceMappingURL=data:application\/json[^,]*;base64,([A-Za-z0-9+/=]+)\s*$/;

function lineStartsOf(code) {
  const starts = [0];
  for (let i = code.indexOf('\n'); i !== -1; i = code.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function sourceMapOf(transform) {
  if (transform.sourceMapPath && existsSync(transform.sourceMapPath)) {
    return JSON.parse(readFileSync(transform.sourceMapPath, 'utf8'));
  }
  const inline = INLINE_MAP.exec(transform.code);
  return inline ? JSON.parse(Buffer.from(inline[1], 'base64').toString('utf8')) : undefined;
}

class JestV8CoverageReporter {
  constructor(globalConfig) {
    this.dir = process.env.FMN_PII_COVERAGE_DIR;
    this.lambdas = join(globalConfig.rootDir, 'lambdas') + sep;
    /** path → variants of its generated code (one, unless the file changed during the run), each with every run. */
    this.scripts = new Map();
  }

  onTestResult(_test, testResult) {
    for (const { codeTransformResult: transform, result } of testResult.v8Coverage ?? []) {
      if (!transform || !result.url.startsWith(this.lambdas)) continue;
      const variants = this.scripts.get(result.url) ?? [];
      let script = variants.find((v) => v.code === transform.code);
      if (!script) {
        const sourceMap = sourceMapOf(transform);
        if (!sourceMap) continue;
        script = { code: transform.code, originalSource: transform.originalCode, sourceMap, runs: [] };
        variants.push(script);
        this.scripts.set(result.url, variants);
      }
      script.runs.push(result.functions.map((fn) => ({ ranges: fn.ranges })));
    }
  }

  onRunComplete() {
    if (!this.dir) return;
    const scripts = [];
    for (const [path, variants] of this.scripts) {
      for (const v of variants) {
        scripts.push({ path, lineStarts: lineStartsOf(v.code), sourceMap: v.sourceMap, originalSource: v.originalSource, runs: v.runs });
      }
    }
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(join(this.dir, `jest-${process.pid}.json`), JSON.stringify({ origin: 'jest', scripts }));
  }
}

module.exports = JestV8CoverageReporter;
