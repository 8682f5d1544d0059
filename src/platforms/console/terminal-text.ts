/**
 * Feed and user text is printed only through `clean`: no escape sequence, control character or
 * bidi override from a feed can move the cursor, recolour the terminal or reorder what is shown.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function clean(value: string, max = 2_000): string {
  const flat = value.replace(UNSAFE, '').replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export interface Palette {
  bold(value: string): string;
  dim(value: string): string;
  accent(value: string): string;
  link(value: string): string;
}

const wrap = (open: number, close: number) => (value: string) => `\u001b[${open}m${value}\u001b[${close}m`;

export const COLOURS: Palette = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  accent: wrap(33, 39),
  link: wrap(36, 39),
};

export const PLAIN: Palette = {
  bold: (value) => value,
  dim: (value) => value,
  accent: (value) => value,
  link: (value) => value,
};
