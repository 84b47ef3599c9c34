/**
 * `fmn stack symbolicate --map index.js.map`: a deployed function's stack frames (from a log line on stdin, or --file)
 * mapped back to the TypeScript source. The map comes with the function's code (`aws lambda get-function` gives its zip) or
 * from `cdk synth` of the same commit (cdk.out/asset.<hash>/index.js.map).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError, commandGroup, globalOptions, withExamples, type CliContext, type Io } from '../command';
import { note } from '../output';
import { parseSourceMap, symbolicate } from '../symbolicate';

export function registerStack(program: Command, { io }: CliContext): void {
  const stack = commandGroup(program, 'stack', 'Stack traces of deployed functions, mapped back to the source.');
  withExamples(stack, ['fmn stack symbolicate --map index.js.map < error-line.json']);
  withExamples(
    stack
      .command('symbolicate')
      .description('Rewrite index.js:<line>:<col> frames (of a log line or stack) to source positions, with the function\'s source map.')
      .requiredOption('--map <file>', 'the function bundle\'s index.js.map')
      .option('--file <file>', 'read the log line or stack from this file instead of stdin')
      .action(async (options: { map: string; file?: string }, command: Command) => {
        const json = globalOptions(command).json;
        let map;
        try {
          map = parseSourceMap(readOrFail(options.map, 'source map'));
        } catch (error) {
          if (error instanceof UsageError) throw error;
          throw new UsageError(`${options.map}: ${(error as Error).message}`);
        }
        const text = options.file ? readOrFail(options.file, 'input') : await readAll(io);
        const result = symbolicate(text, map);
        if (json) io.out(`${JSON.stringify(result)}\n`);
        else {
          io.out(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
          note(io, `${result.resolved} of ${result.frames} frame(s) mapped`);
        }
      }),
    [
      'fmn stack symbolicate --map cdk.out/asset.1a2b…/index.js.map < error-line.json',
      'fmn stack symbolicate --map index.js.map --file stack.txt --json',
    ],
  );
}

function readOrFail(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read the ${what} file ${path}`);
  }
}

async function readAll(io: Io): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
