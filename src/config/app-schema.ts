import { z } from 'zod';
import { durationSeconds } from './duration.js';

/** Schema of config/wirewatch.yaml. Strict everywhere: an unknown key is a mistake worth reporting. */

const slug = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'use lowercase letters, digits, ".", "_" or "-"');

/** `host:port` entries allowed through the SSRF guard although private (e.g. an intranet feed). */
const hostPort = z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5}|\*)$/, 'expected host:port');

const feedUrl = z
  .string()
  .refine((value) => /^https?:\/\//i.test(value) || /^fixture:[\w.-]+$/.test(value), {
    message: 'feed url must be http(s):// or fixture:FILE (a demo fixture)',
  });

const FeedSchema = z
  .object({
    id: slug,
    name: z.string().min(1).max(200),
    url: feedUrl,
    interval: durationSeconds.default(3600),
    firstPoll: z
      .object({ alertNewest: z.number().int().min(0).max(100).default(0) })
      .strict()
      .default({ alertNewest: 0 }),
  })
  .strict();

const DestinationSchema = z
  .object({
    id: slug,
    platform: z.enum(['console', 'slack', 'discord']),
    channel: z.string().min(1).max(200),
    profiles: z.array(slug).min(1),
    threshold: z.number().min(0).nullable().default(null),
    maxAlertsPerCycle: z.number().int().min(1).max(100).default(10),
    /** A scheduled digest of the top stories (docs/adr/0002-stories.md); quiet hours are UTC "HH:MM-HH:MM". */
    digest: z
      .object({
        cron: z.string().min(1),
        window: durationSeconds.default(86_400),
        quietHours: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM-HH:MM (UTC)').nullable().default(null),
      })
      .strict()
      .optional(),
    /** Discord role id pinged for alerts scoring at least `mentionAtScore` (never anyone else). */
    mentionRole: z.string().regex(/^\d{5,25}$/, 'a Discord role id (digits)').nullable().default(null),
    mentionAtScore: z.number().min(0).default(100),
    /** Discord role id whose members may run /watch add|remove and /feeds add|remove here. */
    configureRole: z.string().regex(/^\d{5,25}$/, 'a Discord role id (digits)').nullable().default(null),
    /** Slack or Discord user ids who may configure here, besides workspace admins / Manage Channels. */
    configureUsers: z.array(z.string().regex(/^[A-Z0-9]{2,30}$|^\d{5,25}$/, 'a Slack (U…) or Discord (digits) user id')).default([]),
  })
  .strict();

export const AppConfigSchema = z
  .object({
    store: z.object({ path: z.string().default('data/wirewatch.sqlite') }).strict().default({ path: 'data/wirewatch.sqlite' }),
    profiles: z.object({ dir: z.string().default('config/profiles') }).strict().default({ dir: 'config/profiles' }),
    demo: z
      .object({
        fixtures: z.string(),
        replay: durationSeconds.default(40),
        from: z.iso.datetime({ offset: true }),
        to: z.iso.datetime({ offset: true }),
      })
      .strict()
      .optional(),
    poll: z
      .object({
        tick: z.string().default('*/5 * * * * *'),
        floor: durationSeconds.default(900),
        cap: durationSeconds.default(86_400),
        concurrency: z.number().int().min(1).max(64).default(8),
        lease: durationSeconds.default(120),
        maxFailures: z.number().int().min(1).max(100).default(11),
      })
      .strict()
      .prefault({}),
    fetch: z
      .object({
        allowPrivate: z.array(hostPort).default([]),
        timeout: durationSeconds.default(20),
        maxBytes: z.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
        perHost: z.number().int().min(1).max(8).default(2),
      })
      .strict()
      .prefault({}),
    delivery: z
      .object({
        tick: z.string().default('*/2 * * * * *'),
        staleAfter: durationSeconds.default(3600),
        maxAttempts: z.number().int().min(1).max(50).default(8),
      })
      .strict()
      .prefault({}),
    /** How reports become stories (docs/adr/0002-stories.md): the join window and the most reports one story takes. */
    stories: z
      .object({
        window: durationSeconds.default(48 * 3600),
        maxItems: z.number().int().min(2).max(10_000).default(200),
      })
      .strict()
      .prefault({}),
    feeds: z.array(FeedSchema).default([]),
    destinations: z.array(DestinationSchema).min(1, 'at least one destination is needed'),
  })
  .strict()
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.feeds.forEach((feed, index) => {
      if (seen.has(feed.id)) context.addIssue({ code: 'custom', path: ['feeds', index, 'id'], message: `duplicate feed id "${feed.id}"` });
      seen.add(feed.id);
    });
    const destinations = new Set<string>();
    config.destinations.forEach((destination, index) => {
      if (destinations.has(destination.id)) {
        context.addIssue({ code: 'custom', path: ['destinations', index, 'id'], message: `duplicate destination id "${destination.id}"` });
      }
      destinations.add(destination.id);
    });
    if (config.feeds.some((feed) => feed.url.startsWith('fixture:')) && !config.demo) {
      context.addIssue({ code: 'custom', path: ['feeds'], message: 'fixture: feed urls need a demo: section' });
    }
  });

export type AppConfig = z.output<typeof AppConfigSchema>;
export type FeedConfig = AppConfig['feeds'][number];
export type DestinationConfig = AppConfig['destinations'][number];
