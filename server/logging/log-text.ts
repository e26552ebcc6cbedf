// Text that reaches a log line from outside (client ids, a client's error message, a stack trace) must stay one line
// of the log: control characters (newline, NUL, ANSI escapes, Unicode line separators and bidi overrides) are written
// as escapes, and text a peer chose is capped, so no peer can forge a log line or grow the log by megabytes.

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every control character written as an escape (\n, \r, \t, \uXXXX). */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Peer-chosen text for a log line or an event: escaped, and cut after `maxChars` characters (saying how many were cut). */
export function peerText(text: string, maxChars: number): string {
  const cut = text.length > maxChars ? `${text.slice(0, maxChars)}… (${text.length - maxChars} more characters)` : text;
  return escapeControlCharacters(cut);
}

/** A log that escapes every line before `write` and `forward` get it: text from peers cannot start a line of its own. */
export function escapingLog(write: (line: string) => void, forward: (line: string) => void): (line: string) => void {
  return (line) => {
    const safe = escapeControlCharacters(line);
    write(safe);
    forward(safe);
  };
}
