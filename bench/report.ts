/**
 * Turns the measured numbers into bench/results.json (everything, for scripts) and bench/results.md (tables for people,
 * with the machine, and a plain statement of every target met or missed).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { P1Result } from './p1-handlers';
import type { P2Result } from './p2-cold-start';
import type { P3Result } from './p3-scaling';
import type { P4Result } from './p4-load';
import type { P5Result } from './p5-console';
import type { WarmCallsRow } from './lib/warm-calls';

export interface BenchResults {
  readonly machine: { node: string; cpus: number; cpuModel: string; platform: string; memoryGiB: number; loadAverage: number[] };
  readonly date: string;
  readonly quick: boolean;
  readonly durationSeconds: number;
  readonly p1?: P1Result;
  readonly p2?: P2Result;
  readonly p3?: P3Result;
  readonly p4?: P4Result;
  readonly p5?: P5Result;
  /** SDK calls per warm request of the P1 routes, next to the minimum each needs (bench/lib/warm-calls.ts). */
  readonly warmCalls?: WarmCallsRow[];
  /** One line per target: met or missed, in words. */
  readonly verdicts: string[];
  /** What dominates the cost where a target is missed (from the numbers, and from bench/notes.md). */
  readonly notes: string[];
}

/** Issue 13's target: these routes call no KMS on a warm repeat. */
const WARM_KMS_TARGET_ROUTES: readonly string[] = ['getMe', 'putConsent', 'myConsents'];

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const ok = (met: boolean) => (met ? 'met' : '**MISSED**');

export function verdictsOf(r: Pick<BenchResults, 'p1' | 'p2' | 'p3' | 'p4' | 'p5' | 'warmCalls'>): string[] {
  const lines: string[] = [];
  if (r.warmCalls) {
    const targeted = r.warmCalls.filter((row) => WARM_KMS_TARGET_ROUTES.includes(row.id));
    const kms = targeted.reduce((a, row) => a + row.kms, 0);
    const above = r.warmCalls.filter((row) => row.total > row.minimumTotal);
    lines.push(
      `KMS calls on a warm repeat of ${targeted.map((row) => `\`${row.route}\``).join(', ')}: ${kms} (target 0) ${ok(kms === 0)}; ` +
        (above.length === 0
          ? 'every benchmarked route sends its minimum SDK calls.'
          : `above their minimum SDK calls: ${above.map((row) => `${row.id} (+${row.total - row.minimumTotal})`).join(', ')}.`),
    );
  }
  if (r.p1) {
    const missed = r.p1.rows.filter((row) => !row.meetsTarget);
    lines.push(
      missed.length === 0
        ? `P1 handler overhead: target (p50 ratio ≤ ${r.p1.target}) met by every route.`
        : `P1 handler overhead: target (p50 ratio ≤ ${r.p1.target}) MISSED by ${missed.map((m) => `${m.id} (${m.ratioP50})`).join(', ')}.`,
    );
  }
  if (r.p2) {
    const big = r.p2.rows.filter((row) => !row.meetsSizeTarget);
    const slow = r.p2.rows.filter((row) => !row.meetsInitTarget);
    lines.push(
      big.length === 0
        ? `P2 bundle size: target (≤ clients-only + ${kib(r.p2.targetExtraBytes)}) met by all ${r.p2.rows.length} functions (most added: ${kib(Math.max(...r.p2.rows.map((b) => b.bytes - b.baselineBytes)))}).`
        : `P2 bundle size: target (≤ clients-only + ${kib(r.p2.targetExtraBytes)}) MISSED by ${big.length} of ${r.p2.rows.length} functions (most added: ${kib(Math.max(...big.map((b) => b.bytes - b.baselineBytes)))}).`,
    );
    lines.push(
      slow.length === 0
        ? `P2 init time: target (ratio ≤ ${r.p2.targetInitRatio}) met by all ${r.p2.rows.length} functions (worst ${Math.max(...r.p2.rows.map((s) => s.initRatio))}).`
        : `P2 init time: target (ratio ≤ ${r.p2.targetInitRatio}) MISSED by ${slow.length} of ${r.p2.rows.length} functions (worst ${Math.max(...slow.map((s) => s.initRatio))}).`,
    );
  }
  if (r.p3) {
    const [small, large] = r.p3.levels;
    lines.push(
      `P3 scaling (${large.otherSubjects} ÷ ${small.otherSubjects} other subjects, target ≤ ${r.p3.target}): export ${r.p3.exportRatio} ${r.p3.exportMeetsTarget ? 'met' : 'MISSED'}, ` +
        `erasure ${r.p3.erasureRatio} ${r.p3.erasureMeetsTarget ? 'met' : 'MISSED'}; Scan calls on the request and worker paths: ${r.p3.scans}${r.p3.scans === 0 ? '' : ' (target: none) MISSED'}.`,
    );
  }
  if (r.p4) {
    const failures = r.p4.read.non2xx + r.p4.read.errors + r.p4.write.non2xx + r.p4.write.errors;
    lines.push(
      `P4 local load: ${failures === 0 ? 'no' : failures} failed requests; every accepted write present: ${r.p4.writeCheck.allPresent ? 'yes' : 'NO (MISSED)'}.`,
    );
  }
  if (r.p5) {
    lines.push(
      `P5 console first screen: sign-in form visible ${r.p5.firstLoadMs} ms after opening /console/ on a fresh \`npm start\` ` +
        `(slowest of ${r.p5.loadsMs.length} cold loads ${r.p5.maxMs} ms; target < ${r.p5.targetMs} ms) ${ok(r.p5.meetsTarget)}; ` +
        `JavaScript ${kib(r.p5.scriptGzipBytes)} gzipped (target < ${kib(r.p5.targetGzipBytes)}) ${ok(r.p5.meetsSizeTarget)}.`,
    );
  }
  return lines;
}

/** Notes computed from the numbers: where the time and the bytes go. */
export function computedNotes(r: Pick<BenchResults, 'p1' | 'p2' | 'p3' | 'p4'>): string[] {
  const notes: string[] = [];
  if (r.p1) {
    for (const row of r.p1.rows.filter((x) => !x.meetsTarget)) {
      const calls = Object.values(row.sdkCalls).reduce((a, b) => a + b, 0);
      notes.push(
        `P1 ${row.id}: ${(row.handler.p50 - row.baseline.p50).toFixed(1)} ms per call above its ${calls} SDK calls` +
          `${row.baselineExtra ? ` and the ${row.baselineExtra}` : ''} (p50).`,
      );
    }
  }
  if (r.p2 && r.p2.rows.length > 0) {
    const most = [...r.p2.rows].sort((a, b) => b.bytes - b.baselineBytes - (a.bytes - a.baselineBytes))[0];
    const slowest = [...r.p2.rows].sort((a, b) => b.initRatio - a.initRatio)[0];
    notes.push(
      `P2: ${most.function} adds the most to its SDK clients (${kib(most.bytes - most.baselineBytes)} over ${kib(most.baselineBytes)}); ` +
        `its largest inputs: ${most.largestInputs.map((i) => `${i.path} ${kib(i.bytes)}`).join(', ')}. ` +
        `Highest init ratio: ${slowest.function}, ${slowest.initRatio} (${slowest.initMs} ms next to ${slowest.baselineInitMs} ms).`,
    );
  }
  if (r.p3 && r.p3.scans > 0) notes.push(`P3: ${r.p3.scans} Scan calls on the request and worker paths; time then grows with the table size.`);
  return notes;
}

/** Hand-written analysis (from profiling), kept in bench/notes.md so a rerun does not lose it. */
export function writtenNotes(dir = __dirname): string[] {
  const file = join(dir, 'notes.md');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split(/\n(?=- )/)
    .map((s) => s.trim())
    .filter((s) => s.startsWith('- '))
    .map((s) => s.slice(2).replace(/\s*\n\s*/g, ' '));
}

export function toMarkdown(r: BenchResults): string {
  const out: string[] = [];
  out.push('# Benchmark results', '');
  out.push(
    `Generated by \`npm run bench${r.quick ? ' -- --quick' : ''}\` on ${r.date}: Node.js ${r.machine.node}, ${r.machine.cpus} CPUs ` +
      `(${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB, ${r.machine.platform}; load average at the start ${r.machine.loadAverage.join(' / ')}; ` +
      `took ${Math.round(r.durationSeconds)} s.${r.quick ? ' **Quick run: tiny sizes, the numbers only prove the benchmark works.**' : ''}`,
    '',
  );
  out.push('## Verdicts', '', ...r.verdicts.map((v) => `- ${v}`), '');

  if (r.p1) {
    out.push(
      '## P1 handler overhead',
      '',
      `Each handler invoked in-process with an API Gateway event (authorizer context included), ${r.p1.iterations} timed calls per route ` +
        `after ${r.p1.warmup} warm-up calls, alternating with the baseline: the same SDK calls the handler made, issued directly on plain ` +
        `clients (concurrent where the handler's were), plus the password hashing the route cannot skip (scrypt log2 N = ${r.p1.scryptLogN} ` +
        `on both sides). Target: handler p50 ÷ baseline p50 ≤ ${r.p1.target}.`,
      '',
      '| route | handler p50 ms | handler p99 ms | baseline p50 ms | baseline p99 ms | ratio p50 | ratio p99 | SDK calls per call | target |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
      ...r.p1.rows.map(
        (row) =>
          `| ${row.id} \`${row.route}\` | ${row.handler.p50} | ${row.handler.p99} | ${row.baseline.p50} | ${row.baseline.p99} | ${row.ratioP50} | ${row.ratioP99} | ` +
          `${Object.entries(row.sdkCalls).map(([k, v]) => `${k} ×${v}`).join(', ')}${row.baselineExtra ? `; + ${row.baselineExtra}` : ''} | ${ok(row.meetsTarget)} |`,
      ),
      '',
    );
  }
  if (r.warmCalls) {
    const list = (calls: Record<string, number>) => Object.entries(calls).map(([k, v]) => `${k} ×${v}`).join(', ');
    out.push(
      '## SDK calls per warm request',
      '',
      'Each P1 route invoked twice in the same process; the second invocation, on a container whose clients, unwrapped subject ' +
        'keys and pseudonyms are warm, is counted by the probe on the shared clients. The minimum is what the route needs to do ' +
        'its job (`bench/lib/warm-calls.ts` says why, route by route); `test/integration/warm-calls.test.ts` asserts both.',
      '',
      '| route | calls | KMS calls | minimum | above minimum | calls sent | why the minimum |',
      '| --- | ---: | ---: | ---: | ---: | --- | --- |',
      ...r.warmCalls.map(
        (row) =>
          `| ${row.id} \`${row.route}\` | ${row.total} | ${row.kms} | ${row.minimumTotal} | ${row.total - row.minimumTotal} | ${list(row.calls)} | ${row.why} |`,
      ),
      '',
    );
  }
  if (r.p2) {
    out.push(
      '## P2 cold start',
      '',
      `Every function bundled as \`lib/constructs/backend-function.ts\` bundles it (esbuild, CommonJS, target node20, minified, external ` +
        `source map, nothing external) and run as deployed: the map ships in the asset but is not loaded at init (no ` +
        `\`--enable-source-maps\`; \`fmn stack symbolicate\` maps logged frames offline). Init: median over ${r.p2.processes} fresh Node ` +
        `processes of \`require(bundle)\` (the module scope builds the SDK clients), next to a bundle holding only the same SDK clients, ` +
        `run round-robin with it. Targets: bundle ≤ its clients-only bundle + ${kib(r.p2.targetExtraBytes)}, init ≤ ${r.p2.targetInitRatio} × ` +
        `the clients-only init. A function with no SDK client has an empty bundle as its baseline, so it gets the same allowance ` +
        `in milliseconds as the lightest function with a client: its ratio is (DynamoDB-only init ${r.p2.referenceInitMs} ms + what it adds ` +
        `to the empty bundle's init) ÷ ${r.p2.referenceInitMs} ms.`,
      '',
      '| function | bundle | source map | SDK clients | init ms | clients-only bundle | added | clients-only init ms | init ratio | size | init |',
      '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
      ...r.p2.rows.map(
        (row) =>
          `| ${row.function} | ${kib(row.bytes)} | ${kib(row.mapBytes)} | ${row.clients.join(', ') || '—'} | ${row.initMs} | ${kib(row.baselineBytes)} | ${kib(row.bytes - row.baselineBytes)} | ` +
          `${row.baselineInitMs} | ${row.initRatio} | ${ok(row.meetsSizeTarget)} | ${ok(row.meetsInitTarget)} |`,
      ),
      '',
      ...(r.p2.skipped.length > 0 ? [`Declared but without a handler file (not bundled): ${r.p2.skipped.join(', ')}.`, ''] : []),
    );
  }
  if (r.p3) {
    const items = Object.entries(r.p3.subjectItems).map(([k, v]) => `${k} ${v}`).join(', ');
    out.push(
      '## P3 erasure and export scaling',
      '',
      `One subject (${items}), built through the real routes, then its export and its erasure filed with the create-request handler ` +
        `and carried out by the rights worker handler with an SQS event; timed is the worker invocation. Other subjects are seeded with ` +
        `parallel BatchWriteItem calls, ${r.p3.itemsPerOtherSubject} items each (users, identities, sessions, consent, analytics events, audit). ` +
        `Median of ${r.p3.levels[0].exportMs.length} run(s) per size. Target: time at the large size ÷ time at the small one ≤ ${r.p3.target}, no Scan.`,
      '',
      '| other subjects | items added at this size | seeding s | export ms (median) | erasure ms (median) | export runs | erasure runs |',
      '| ---: | ---: | ---: | ---: | ---: | --- | --- |',
      ...r.p3.levels.map(
        (l) => `| ${l.otherSubjects} | ${l.seedItems} | ${l.seedSeconds} | ${l.exportMedianMs} | ${l.erasureMedianMs} | ${l.exportMs.join(', ')} | ${l.erasureMs.join(', ')} |`,
      ),
      '',
      `| | ratio | target |`,
      `| --- | ---: | --- |`,
      `| export | ${r.p3.exportRatio} | ${ok(r.p3.exportMeetsTarget)} |`,
      `| erasure | ${r.p3.erasureRatio} | ${ok(r.p3.erasureMeetsTarget)} |`,
      `| Scan calls | ${r.p3.scans} | ${ok(r.p3.scans === 0)} |`,
      '',
      `SDK calls of one export (request + worker): ${Object.entries(r.p3.exportCalls).map(([k, v]) => `${k} ×${v}`).join(', ')}.`,
      '',
      `SDK calls of one erasure (request + worker): ${Object.entries(r.p3.erasureCalls).map(([k, v]) => `${k} ×${v}`).join(', ')}.`,
      '',
    );
  }
  if (r.p4) {
    const row = (x: P4Route) =>
      `| \`${x.route}\` | ${x.connections} | ${x.seconds} | ${x.requests} | ${x.requestsPerSecond} | ${x.latencyMs.p50} | ${x.latencyMs.p99} | ${x.latencyMs.max} | ${x.non2xx} | ${x.errors} | ${x.timeouts} |`;
    out.push(
      '## P4 local load',
      '',
      `autocannon against \`npm start -- --in-memory --ports=auto\` (API, DynamoDB Local, fauxqs, KMS emulator and the worker, all on this ` +
        `machine), ${r.p4.subjects} subjects with one session each, requests spread over them round-robin.`,
      '',
      '| route | connections | s | requests | req/s | p50 ms | p99 ms | max ms | non-2xx | errors | timeouts |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      row(r.p4.read),
      row(r.p4.write),
      '',
      `Writes accepted (2xx): ${r.p4.writeCheck.accepted}; ledger events found afterwards: ${r.p4.writeCheck.found} ` +
        `(${r.p4.writeCheck.landedAfterStop} landed after autocannon stopped counting); every accepted write present: ` +
        `**${r.p4.writeCheck.allPresent ? 'yes' : 'NO'}**.`,
      '',
    );
  }
  if (r.p5) {
    out.push(
      '## P5 console first screen',
      '',
      `\`npm start -- --in-memory --ports=auto\` in a child process (ready after ${r.p5.serverReadySeconds} s: DynamoDB Local, fauxqs, the KMS ` +
        `emulator, the console build, the API), then Chromium (${'`/usr/bin/chromium`'}, started before the clock) opens /console/, ` +
        `${r.p5.loadsMs.length} times, each in a fresh browser context (empty cache; the browser's first renderer is spawned on a blank ` +
        `page first). Timed on the page's own clock: from the navigation's start to the first frame painted with the sign-in form ` +
        `(noted by a script the DevTools protocol injects). The driver's view (its navigation call to Playwright's visibility wait, ` +
        `with its round trips) is listed too. Targets: under ${r.p5.targetMs} ms, under ${kib(r.p5.targetGzipBytes)} of gzipped JavaScript.`,
      '',
      '| first load ms | median ms | slowest ms | every load ms | as the driver saw them ms | app.js | gzipped | time | size |',
      '| ---: | ---: | ---: | --- | --- | ---: | ---: | --- | --- |',
      `| ${r.p5.firstLoadMs} | ${r.p5.medianMs} | ${r.p5.maxMs} | ${r.p5.loadsMs.join(', ')} | ${r.p5.driverMs.join(', ')} | ${kib(r.p5.scriptBytes)} | ${kib(r.p5.scriptGzipBytes)} | ` +
        `${ok(r.p5.meetsTarget)} | ${ok(r.p5.meetsSizeTarget)} |`,
      '',
    );
  }
  out.push('## Notes', '', ...r.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}

type P4Route = P4Result['read'];
