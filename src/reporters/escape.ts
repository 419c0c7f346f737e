/** Escaping for the markup formats, shared by each format's main module and its sections. */

/** HTML-escapes text for element content and quoted attributes; drops characters HTML forbids. */
export function esc(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * Rule authors write commands in remediation text between backticks: those stay code spans (whose
 * content Markdown does not interpret), everything else is escaped.
 */
export function mdWithCode(text: string): string {
  return text
    .replace(/\r\n|[\r\n]/g, " ")
    .split(/(`[^`]+`)/)
    .map((part) => (/^`[^`]+`$/.test(part) ? part : md(part)))
    .join("");
}

/**
 * Escapes text for inline Markdown: backslash-escapes the punctuation that starts emphasis, code,
 * links, HTML, tables, strikethrough or math, and turns line breaks into spaces so a value cannot
 * break a table row or a list item.
 */
export function md(text: string): string {
  return text.replace(/\r\n|[\r\n]/g, " ").replace(/[\\`*_[\]<>|&~$]/g, (c) => `\\${c}`);
}
