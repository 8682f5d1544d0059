import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError, isAppError } from '../core/errors.js';
import type { Alias, ContextRule, Profile } from '../core/profile.js';
import { parseYamlWithSchema } from './yaml-source.js';

/**
 * Schema of config/profiles/*.yaml (format: docs/profiles.md). Strict: an unknown key is a typo
 * worth reporting, never silently ignored. Lists of context terms may nest one or two levels so
 * YAML anchors can share vocabularies (`requires: [*energy, *attack, socar]`); they are flattened.
 */

const id = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'use lowercase letters, digits, ".", "_" or "-"');
const phrase = z.string().trim().min(1, 'must not be empty').max(200);
const lang = z.string().regex(/^[a-z]{2,3}$/, 'use an ISO 639-1 code such as en, ru, az, uk');
const weight = z.number().min(0).max(1000);

/** A list of phrases; nested lists (from YAML anchors) are flattened and duplicates dropped. */
const phraseList = z
  .array(z.union([phrase, z.array(z.union([phrase, z.array(phrase)]))]))
  .transform((value) => [...new Set(value.flat(2))]);

/** `{ en: [..], ru: [..] }`, or a plain list when the language does not matter. */
const aliases = z
  .union([phraseList, z.record(lang, phraseList)])
  .default([])
  .transform((value): Alias[] =>
    Array.isArray(value)
      ? value.map((text) => ({ text, lang: null }))
      : Object.entries(value).flatMap(([code, list]) => list.map((text) => ({ text, lang: code }))),
  );

const termList = phraseList.default([]);

const contextKeys = { requires: termList, excludes: termList };
const toContext = (value: { requires: string[]; excludes: string[] }): ContextRule => ({
  requires: value.requires,
  excludes: value.excludes,
});

const EntitySchema = z
  .object({
    id,
    label: phrase,
    kind: z.enum(['org', 'place', 'person', 'event', 'asset']),
    weight,
    side: id.nullable().default(null),
    aliases,
    ...contextKeys,
  })
  .strict()
  .transform(({ requires, excludes, ...entity }) => ({ ...entity, context: toContext({ requires, excludes }) }));

const KeywordSchema = z
  .object({
    term: phrase,
    weight,
    lang: lang.nullable().default(null),
    aliases,
    stem: z.boolean().default(false),
    side: id.nullable().default(null),
    ...contextKeys,
  })
  .strict()
  .transform(({ requires, excludes, ...keyword }) => ({ ...keyword, context: toContext({ requires, excludes }) }));

const NegativeSchema = z
  .object({ term: phrase, aliases, weight, veto: z.boolean().default(false) })
  .strict();

const CooccurrenceSchema = z
  .object({ sides: z.tuple([id, id]), bonus: z.number().min(0).max(1000) })
  .strict();

export const ProfileSchema = z
  .object({
    id,
    label: phrase,
    description: z.string().default(''),
    threshold: z.number().min(0).max(10_000),
    titleBoost: z.number().min(1).max(10).default(1.5),
    /** Free-form home for YAML anchors (shared term lists); not read otherwise. */
    vocabulary: z.record(z.string(), z.unknown()).optional(),
    entities: z.array(EntitySchema).default([]),
    keywords: z.array(KeywordSchema).default([]),
    negatives: z.array(NegativeSchema).default([]),
    cooccurrence: z.array(CooccurrenceSchema).default([]),
  })
  .strict()
  .superRefine((profile, context) => {
    const seen = new Map<string, number>();
    profile.entities.forEach((entity, index) => {
      if (seen.has(entity.id)) {
        context.addIssue({ code: 'custom', path: ['entities', index, 'id'], message: `duplicate entity id "${entity.id}"` });
      }
      seen.set(entity.id, index);
    });
    const sides = new Set([...profile.entities, ...profile.keywords].map((item) => item.side));
    profile.cooccurrence.forEach((rule, index) => {
      rule.sides.forEach((side, position) => {
        if (!sides.has(side)) {
          context.addIssue({ code: 'custom', path: ['cooccurrence', index, 'sides', position], message: `no entity or keyword has side "${side}"` });
        }
      });
    });
  })
  .transform(({ vocabulary: _vocabulary, ...profile }): Profile => profile);

/** Reads and validates one profile file. Throws AppError 'profile_invalid' listing every problem (file:line key.path). */
export function loadProfileFile(file: string): Profile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError('profile_invalid', `cannot read profile ${file}: ${(error as Error).message}`, { cause: error, context: { file } });
  }
  return parseYamlWithSchema(text, file, ProfileSchema, 'profile_invalid');
}

/** Loads every *.yaml / *.yml profile in a directory; one error lists the problems of all files. */
export function loadProfiles(dir: string): Profile[] {
  const files = readdirSync(dir)
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort()
    .map((name) => path.join(dir, name));
  const profiles: Profile[] = [];
  const problems: string[] = [];
  const owner = new Map<string, string>();
  for (const file of files) {
    try {
      const profile = loadProfileFile(file);
      const previous = owner.get(profile.id);
      if (previous) problems.push(`${file} id: profile id "${profile.id}" is already used by ${previous}`);
      else owner.set(profile.id, file);
      profiles.push(profile);
    } catch (error) {
      if (!isAppError(error)) throw error;
      problems.push(error.message.replace(/^invalid configuration:\n\s*/, ''));
    }
  }
  if (problems.length > 0) {
    throw new AppError('profile_invalid', `invalid profiles:\n  ${problems.join('\n  ')}`, { context: { dir } });
  }
  return profiles;
}
