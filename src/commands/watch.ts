import { AppError } from '../core/errors.js';
import { code, heading, line, reply, strong, text, type ReplyBlock } from '../core/reply.js';
import { parseArgs, splitArgs } from './args.js';
import type { CommandContext, CommandDefinition, CommandDeps } from './context.js';

const MAX_TERM = 80;
const MAX_TERMS = 50;
const MAX_ALIASES = 10;

async function listWatch(context: CommandContext, deps: CommandDeps): Promise<ReturnType<typeof reply>> {
  const destination = context.destination;
  const blocks: ReplyBlock[] = [heading(`Watching in ${destination.channel}`)];
  for (const id of destination.profiles) {
    const profile = deps.scorer.profiles.find((candidate) => candidate.id === id);
    if (!profile) {
      blocks.push(line(strong(id), text(' — profile not loaded')));
      continue;
    }
    const threshold = destination.threshold ?? profile.threshold;
    blocks.push(
      line(
        strong(profile.label),
        text(` (${profile.id}) — alert at score ≥ ${threshold}${destination.threshold === null ? '' : ' (this channel)'}; `),
        text(`${profile.entities.length} entities, ${profile.keywords.length} keywords, ${profile.negatives.length} negative terms`),
      ),
    );
    const entities = profile.entities.map((entity) => entity.label);
    blocks.push(line(text('Entities: '), text(entities.slice(0, 30).join(', ') + (entities.length > 30 ? ', …' : ''))));
  }
  const terms = await deps.watchTerms.list(destination.id);
  if (terms.length > 0) {
    blocks.push(heading('Channel watch terms'));
    for (const term of terms) {
      blocks.push(
        line(
          code(term.term),
          text(term.negative ? ' never alert' : ` weight ${term.weight}`),
          ...(term.aliases.length > 0 ? [text(` · aliases: ${term.aliases.join(', ')}`)] : []),
        ),
      );
    }
  }
  return reply(blocks, true);
}

function validTerm(value: string, what: string): string {
  const term = value.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (term.length === 0) throw new AppError('bad_input', `${what} is empty`);
  if (term.length > MAX_TERM) throw new AppError('bad_input', `${what} is too long (at most ${MAX_TERM} characters)`);
  if (/[\p{Cc}\p{Cf}]/u.test(term)) throw new AppError('bad_input', `${what} contains control or invisible characters`);
  return term;
}

function requireConfigure(context: CommandContext): void {
  if (!context.user.canConfigure) {
    throw new AppError('forbidden', 'Only channel managers can change watch terms here. Nothing was changed.');
  }
}

async function addWatch(words: string[], context: CommandContext, deps: CommandDeps): Promise<ReturnType<typeof reply>> {
  requireConfigure(context);
  const parsed = parseArgs(words, ['not']);
  const term = validTerm(parsed.positional.join(' '), 'the term');
  const weightText = parsed.flags.get('weight')?.at(-1) ?? '10';
  const weight = Number(weightText);
  if (!Number.isFinite(weight) || weight <= 0 || weight > 100) throw new AppError('bad_input', '--weight must be a number between 0 and 100');
  const aliases = (parsed.flags.get('alias') ?? []).map((alias) => validTerm(alias, 'an alias'));
  if (aliases.length > MAX_ALIASES) throw new AppError('bad_input', `at most ${MAX_ALIASES} aliases per term`);
  const existing = await deps.watchTerms.list(context.destination.id);
  if (existing.length >= MAX_TERMS && !existing.some((entry) => entry.term === term)) {
    throw new AppError('bad_input', `this channel already watches ${MAX_TERMS} terms; remove one first`);
  }
  const negative = parsed.flags.has('not');
  await deps.watchTerms.add({
    destinationId: context.destination.id,
    term,
    weight,
    aliases,
    negative,
    createdBy: context.user.id,
    createdAt: context.now.toISOString(),
  });
  return reply([line(text(negative ? 'Items mentioning ' : 'Now watching '), code(term), text(negative ? ' will never alert here.' : ` (weight ${weight}) from the next item on.`))], true);
}

async function removeWatch(words: string[], context: CommandContext, deps: CommandDeps): Promise<ReturnType<typeof reply>> {
  requireConfigure(context);
  const term = validTerm(words.join(' '), 'the term');
  const removed = await deps.watchTerms.remove(context.destination.id, term);
  return reply([line(text(removed ? 'Stopped watching ' : 'This channel was not watching '), code(term), text('.'))], true);
}

async function testWatch(words: string[], context: CommandContext, deps: CommandDeps): Promise<ReturnType<typeof reply>> {
  const sample = words.join(' ').slice(0, 64 * 1024);
  if (!sample.trim()) throw new AppError('bad_input', 'give some text to test, e.g. /watch test Drone strike on SOCAR depot in Odesa');
  const terms = await deps.watchTerms.list(context.destination.id);
  const results = deps.scorer.score(
    { title: sample, summary: '' },
    { profiles: context.destination.profiles, threshold: context.destination.threshold, watchTerms: terms },
  );
  const blocks: ReplyBlock[] = [heading('Dry run (nothing is posted)')];
  for (const result of results) {
    blocks.push(line(strong(result.profile), text(`: score ${Math.round(result.score)} / threshold ${result.threshold} → ${result.alert ? 'would alert' : 'would not alert'}`)));
    for (const reason of result.reasons) {
      blocks.push(line(text(`  ${reason.contribution >= 0 ? '+' : ''}${Math.round(reason.contribution * 10) / 10} ${reason.kind} `), code(reason.label), text(` (“${reason.matched}” in ${reason.field})`)));
    }
  }
  return reply(blocks, true);
}

export const watchCommand: CommandDefinition = {
  name: 'watch',
  usage: '/watch list | add TERM [--weight N] [--alias A …] [--not] | remove TERM | test TEXT',
  summary: 'what this channel watches; add, remove or dry-run watch terms',
  async run(args: string, context: CommandContext, deps: CommandDeps) {
    const [sub = 'list', ...rest] = splitArgs(args);
    switch (sub) {
      case 'list':
        return listWatch(context, deps);
      case 'add':
        return addWatch(rest, context, deps);
      case 'remove':
        return removeWatch(rest, context, deps);
      case 'test':
        return testWatch(rest, context, deps);
      default:
        throw new AppError('bad_input', `unknown subcommand "${sub.slice(0, 20)}": use list, add, remove or test`);
    }
  },
};
