/**
 * A progress bar on a terminal, plain lines elsewhere: the bar is redrawn in place on stderr, and result
 * lines are written above it, so piping stdout to a file keeps only the results.
 */
import type { Output } from './api.js';

const BAR_WIDTH = 24;

/** "[████████░░░░] <label>", fitted to the terminal width. */
export function barLine(fraction: number, label: string, columns = 80): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * BAR_WIDTH);
  const line = `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${label}`;
  return line.length > columns - 1 ? `${line.slice(0, Math.max(0, columns - 2))}…` : line;
}

export interface Progress {
  /** Redraws the bar (only on a terminal). */
  draw(line: (columns: number) => string): void;
  /** A result line: above the bar on a terminal, else simply a line. */
  log(out: Output, text: string): void;
  /** Clears the bar. */
  finish(): void;
}

export function terminalProgress(err: Output): Progress {
  const tty = Boolean(err.isTTY);
  let last: ((columns: number) => string) | undefined;
  const redraw = () => {
    if (tty && last) err.write(`\r\x1b[2K${last(err.columns || 80)}`);
  };
  return {
    draw(line) {
      last = line;
      redraw();
    },
    log(out, text) {
      if (tty) err.write('\r\x1b[2K');
      out.write(`${text}\n`);
      redraw();
    },
    finish() {
      if (tty) err.write('\r\x1b[2K');
      last = undefined;
    },
  };
}
