/**
 * User strings on the terminal: a name, a cell or a file header may hold ESC sequences (which
 * recolour, move the cursor or retitle the window), other C0/C1 control characters, or bidi
 * overrides that reorder what is shown. `safeText` removes them (an ANSI escape sequence as a
 * whole, so no stray "[31m" is left), turns tabs and line breaks into spaces, and optionally
 * shortens the result. O(length).
 */

// ESC [ ... final byte (CSI), ESC ] ... BEL or ESC \ (OSC), or ESC and one character
const ESCAPES = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-_])?|\u009b[0-?]*[ -/]*[@-~]/g;
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `s` without control characters or escape sequences, at most `max` characters (an ellipsis
 * marks a cut). The length cap is applied first, so the regexes see a bounded string.
 * @example safeText("\u001b[31mred\u001b[0m") // "red"
 */
export function safeText(s: string, max = Infinity): string {
  const capped = s.length > max * 4 + 64 ? s.slice(0, max * 4 + 64) : s;
  const clean = capped.replace(ESCAPES, '').replace(/[\t\n\r]/g, ' ').replace(CONTROLS, '');
  return clean.length > max || capped.length < s.length ? `${clean.slice(0, max)}…` : clean;
}

/** `safeText` for each line of a multi-line message (line breaks kept, nothing shortened). */
export function safeLines(s: string): string {
  return s
    .split('\n')
    .map((line) => safeText(line))
    .join('\n');
}
