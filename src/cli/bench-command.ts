import type { Command } from 'commander';
import { AppError } from '../core/errors.js';
import { formatTable, type Benchmark } from '../bench/report.js';

/** Benchmarks live in src/bench/NAME.ts and export `benchmark: Benchmark`. Not part of `npm test`. */
const BENCHMARKS = ['scoring', 'stories', 'poll', 'latency', 'workers'] as const;

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description(`run benchmarks (${BENCHMARKS.join(', ')}); none = all; prints a table, or one JSON object with --json`)
    .argument('[names...]', 'which benchmarks')
    .option('--json', 'print one JSON object with every figure')
    .option('--quick', 'small sizes, for checking that a benchmark runs')
    .action(async (names: string[], flags: { json?: boolean; quick?: boolean }) => {
      const chosen = names.length > 0 ? names : [...BENCHMARKS];
      for (const name of chosen) {
        if (!(BENCHMARKS as readonly string[]).includes(name)) throw new AppError('bad_input', `unknown benchmark "${name}": choose from ${BENCHMARKS.join(', ')}`);
      }
      const results: Record<string, unknown> = {};
      for (const name of chosen) {
        let module: { benchmark?: Benchmark };
        try {
          module = (await import(`../bench/${name}.js`)) as { benchmark?: Benchmark };
        } catch (cause) {
          if ((cause as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') throw new AppError('not_found', `benchmark "${name}" is not built yet`);
          throw cause;
        }
        if (!module.benchmark) throw new AppError('internal', `src/bench/${name}.ts exports no benchmark`);
        const report = await module.benchmark({ quick: flags.quick ?? false, log: (line) => process.stderr.write(`${line}\n`) });
        results[name] = report.figures;
        if (!flags.json) process.stdout.write(`${formatTable(report)}\n\n`);
      }
      if (flags.json) process.stdout.write(`${JSON.stringify(results)}\n`);
    });
}
