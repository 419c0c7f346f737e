/**
 * Remote text is untrusted: it may carry terminal escape sequences meant to rewrite the user's
 * screen, or be huge. Everything read from a target passes through here before it is printed or
 * stored in a report.
 */

// CSI, OSC (terminated by BEL or ST), other ESC sequences, then C0/C1 controls except \t and \n,
// then the bidirectional overrides and isolates that make a terminal show text out of order.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Removes terminal escape sequences and control characters (keeps tab and newline). */
export function stripControl(text: string): string {
  return text.replace(ESCAPES, "");
}

/** Cuts text to at most `max` characters, saying how much was dropped. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [${text.length - max} more characters cut]`;
}

/** Cleans one value for display or a report: control characters stripped, length capped. */
export function safeText(text: string, max = 4096): string {
  return capText(stripControl(text), max);
}
