import { PNG } from 'pngjs';

export interface ChartOptions {
  readonly width?: number;
  readonly height?: number;
}

const BACKGROUND = [255, 255, 255];
const AXIS = [120, 120, 120];
const BAR = [40, 110, 200];

/**
 * A small bar chart of stories per day as PNG bytes (pngjs, pure JS, nothing fetched): one bar per
 * day, scaled to the busiest day; days are binned together when there are more than pixels.
 */
export function storiesPerDayPng(series: readonly { day: string; count: number }[], options: ChartOptions = {}): Uint8Array {
  const width = Math.max(40, Math.min(options.width ?? 480, 2_000));
  const height = Math.max(30, Math.min(options.height ?? 120, 1_000));
  const png = new PNG({ width, height });
  const paint = (x: number, y: number, [r, g, b]: number[]): void => {
    const offset = (width * y + x) << 2;
    png.data[offset] = r ?? 0;
    png.data[offset + 1] = g ?? 0;
    png.data[offset + 2] = b ?? 0;
    png.data[offset + 3] = 255;
  };
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) paint(x, y, BACKGROUND);

  const margin = 4;
  const plotWidth = width - margin * 2;
  const plotHeight = height - margin * 2 - 1;
  const baseline = height - margin - 1;
  for (let x = margin; x < width - margin; x++) paint(x, baseline, AXIS);

  const bins = Math.max(1, Math.min(series.length, plotWidth));
  const counts = new Array<number>(bins).fill(0);
  series.forEach((point, index) => {
    const bin = Math.min(bins - 1, Math.floor((index * bins) / Math.max(1, series.length)));
    counts[bin] = (counts[bin] ?? 0) + point.count;
  });
  const peak = Math.max(1, ...counts);
  const slot = plotWidth / bins;
  const barWidth = Math.max(1, Math.floor(slot * 0.8));
  counts.forEach((count, bin) => {
    const barHeight = count === 0 ? 0 : Math.max(1, Math.round((count / peak) * plotHeight));
    const left = margin + Math.floor(bin * slot);
    for (let x = left; x < left + barWidth && x < width - margin; x++) {
      for (let y = baseline - barHeight; y < baseline; y++) paint(x, y, BAR);
    }
  });
  return new Uint8Array(PNG.sync.write(png));
}
