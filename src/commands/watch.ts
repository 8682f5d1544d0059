import { truncate } from '../core/chat-text.js';
import { AppError } from '../core/errors.js';
import { code, heading, line, reply, strong, text, type Reply, type ReplyBlock } from '../core/reply.js';
import type { ScoreResult } from '../core/score.js';
import type { WatchTerm } from '../pipeline/ports.js';
import { parseArgs, splitArgs } from './args.js';
import type { CommandContext, CommandDefinition, CommandDeps } from './context.js';

/**
 * Watch terms are literal words and phrases, never patterns: the scorer compiles them into its
 * word trie, so matching stays linear in the item whatever users type (no regex that can run in
 * super-linear time exists to be abused). Caps keep one channel from growing the trie without
 * bound: MAX_TERMS terms of MAX_TERM characters with MAX_ALIASES aliases each.
 */
export const MAX_TERM = 80;
export const MAX_TERMS = 1_000;
export const MAX_ALIASES = 10;
const MAX_SAMPLE = 64 * 1024;
const ECHO = 60;

/** A user's input as a refusal may quote it: invisible and control characters shown as �, cut short, length said. */
export function echo(value: string): string {
  const visible = value.replace(/[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/gu, '\uFFFD');
  return value.length > ECHO ? `${truncate(visible, ECHO)} (${value.length.toLocaleString('en-US')} characters)` : visible;
}

/** Letters, marks and digits, joined by spaces and the punctuation names use (AT&T, Moody's, S-400, Trans-Balkan). */
const TERM_SHAPE = /^[\p{L}\p{M}\p{N}]+(?:[ \-'’.&/+]+[\p{L}\p{M}\p{N}]+)*[.+]?$/u;

function validTerm(value: string, what: string): string {
  const term = value.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (term.length === 0) throw new AppError('bad_input', `${what} is empty: try /watch add "drone strike" --alias "удар дронов"`);
  if (term.length > MAX_TERM) {
    throw new AppError('bad_input', `${what} is too long (at most ${MAX_TERM} characters): "${echo(term)}". Nothing was changed.`);
  }
  if (!TERM_SHAPE.test(term)) {
    throw new AppError(
      'bad_input',
      `${what} "${echo(term)}" is not a plain word or phrase. Watch terms are literal text (letters, digits, spaces and - ' . & / +), not patterns or mentions. Nothing was changed.`,
    );
  }
  return term;
}

function requireConfigure(context: CommandContext): void {
  if (!context.user.canConfigure) {
    throw new AppError('forbidden', 'Only channel managers can change watch terms here. Nothing was changed.');
  }
}

/** The same term written in another case is the same term: find it, so it is updated, not duplicated. */
function sameTerm(existing: readonly WatchTerm[], term: string): WatchTerm | undefined {
  const wanted = term.toLocaleLowerCase();
  return existing.find((entry) => entry.term.toLocaleLowerCase() === wanted);
}

/** A score and its reasons, one line each, biggest contribution first. Feed and user text stay in text/code segments. */
export function scoreLines(results: readonly ScoreResult[], verb: { yes: string; no: string }): ReplyBlock[] {
  const blocks: ReplyBlock[] = [];
  for (const result of results) {
    blocks.push(line(strong(result.profile), text(`: score ${Math.round(result.score * 10) / 10} / threshold ${result.threshold} → ${result.alert ? verb.yes : verb.no}`)));
    if (result.reasons.length === 0) blocks.push(line(text('  nothing this profile or channel watches matched')));
    for (const reason of result.reasons) {
      const points = Math.round(reason.contribution * 10) / 10;
      blocks.push(line(text(`  ${points >= 0 ? '+' : ''}${points} ${reason.kind} `), code(truncate(reason.label, 120)), text(` (“${truncate(reason.matched, 80)}” in ${reason.field})`)));
    }
  }
  return blocks;
}

async function listWatch(context: CommandContext, deps: CommandDeps): Promise<Reply> {
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
  blocks.push(heading(`Channel watch terms (${terms.length} of at most ${MAX_TERMS})`));
  if (terms.length === 0) blocks.push(line(text('none yet: /watch add TERM [--weight N] [--alias A …] [--not]')));
  for (const term of terms) {
    blocks.push(
      line(
        code(term.term),
        text(term.negative ? ` never alert (−${term.weight})` : ` weight ${term.weight}`),
        ...(term.aliases.length > 0 ? [text(' · aliases: '), code(term.aliases.join(', '))] : []),
      ),
    );
  }
  return reply(blocks, true);
}

async function addWatch(words: string[], context: CommandContext, deps: CommandDeps): Promise<Reply> {
  requireConfigure(context);
  const parsed = parseArgs(words, ['not']);
  const term = validTerm(parsed.positional.join(' '), 'the term');
  const weightText = parsed.flags.get('weight')?.at(-1) ?? '10';
  const weight = Number(weightText);
  if (!/^\d{1,3}(\.\d+)?$/.test(weightText) || !Number.isFinite(weight) || weight <= 0 || weight > 100) {
    throw new AppError('bad_input', `--weight must be a number above 0 and at most 100, not "${echo(weightText)}". Nothing was changed.`);
  }
  const aliasTexts = parsed.flags.get('alias') ?? [];
  if (aliasTexts.length > MAX_ALIASES) throw new AppError('bad_input', `at most ${MAX_ALIASES} aliases per term (got ${aliasTexts.length}). Nothing was changed.`);
  const aliases = [...new Set(aliasTexts.map((alias) => validTerm(alias, 'the alias')))];
  const existing = await deps.watchTerms.list(context.destination.id);
  const known = sameTerm(existing, term);
  if (!known && existing.length >= MAX_TERMS) {
    throw new AppError('bad_input', `this channel already watches ${MAX_TERMS} terms, the most it can: remove one before adding "${echo(term)}". Nothing was changed.`);
  }
  const negative = parsed.flags.has('not');
  const stored = known?.term ?? term;
  await deps.watchTerms.add({
    destinationId: context.destination.id,
    term: stored,
    weight,
    aliases,
    negative,
    createdBy: context.user.id,
    createdAt: context.now.toISOString(),
  });
  const what = negative ? ` will never alert here (−${weight})` : ` (weight ${weight})`;
  return reply([line(text(negative ? 'Items mentioning ' : known ? 'Updated ' : 'Now watching '), code(stored), text(`${what}, from the next item on.`))], true);
}

async function removeWatch(words: string[], context: CommandContext, deps: CommandDeps): Promise<Reply> {
  requireConfigure(context);
  const typed = words.join(' ').normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (typed.length === 0) throw new AppError('bad_input', 'say which term to remove: /watch remove TERM (see /watch list)');
  const known = typed.length <= MAX_TERM ? sameTerm(await deps.watchTerms.list(context.destination.id), typed) : undefined;
  const removed = known ? await deps.watchTerms.remove(context.destination.id, known.term) : false;
  if (!removed) return reply([line(text('This channel was not watching '), code(echo(typed)), text(': nothing was changed (see /watch list).'))], true);
  return reply([line(text('Stopped watching '), code(known?.term ?? typed), text(', from the next item on.'))], true);
}

async function testWatch(words: string[], context: CommandContext, deps: CommandDeps): Promise<Reply> {
  const sample = words.join(' ').slice(0, MAX_SAMPLE).trim();
  if (!sample) throw new AppError('bad_input', 'give some text to test, e.g. /watch test Drone strike on SOCAR depot in Odesa');
  // A lone link tests the stored item it names (nothing is fetched); any other text is scored as given.
  const stored = /^https?:\/\/\S+$/i.test(sample) ? await deps.items.findByLink(sample) : null;
  const text_ = stored ? { title: stored.item.title, summary: stored.item.summary } : { title: sample, summary: '' };
  const terms = await deps.watchTerms.list(context.destination.id);
  const results = deps.scorer.score(text_, { profiles: context.destination.profiles, threshold: context.destination.threshold, watchTerms: terms });
  const blocks: ReplyBlock[] = [heading(stored ? 'Dry run on the stored item (nothing is posted)' : 'Dry run (nothing is posted)')];
  if (stored) blocks.push(line(text('Item: '), strong(truncate(stored.item.title || '(untitled)', 200))));
  blocks.push(...scoreLines(results, { yes: 'would alert', no: 'would not alert' }));
  return reply(blocks, true);
}

export const watchCommand: CommandDefinition = {
  name: 'watch',
  usage: '/watch list | add TERM [--weight N] [--alias A …] [--not] | remove TERM | test TEXT-or-LINK',
  summary: 'what this channel watches; add, remove or dry-run watch terms',
  async run(args: string, context: CommandContext, deps: CommandDeps) {
    const [sub = 'list', ...rest] = splitArgs(args);
    switch (sub.toLowerCase()) {
      case 'list':
        return listWatch(context, deps);
      case 'add':
        return addWatch(rest, context, deps);
      case 'remove':
        return removeWatch(rest, context, deps);
      case 'test':
        return testWatch(rest, context, deps);
      default:
        throw new AppError('bad_input', `unknown subcommand "${echo(sub.slice(0, 20))}": use list, add, remove or test`);
    }
  },
};
