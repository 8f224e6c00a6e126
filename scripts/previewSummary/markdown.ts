// Inline Markdown that stays inert in a GitHub comment: no HTML, emphasis, @-mentions or broken table cells.

/** Inline text: no HTML, no emphasis, no table breaks, no @-mentions. */
export function escapeText(text: string): string {
    return text
        .replace(/[\\`*_[\]<>|~]/g, (char) => `\\${char}`)
        .replace(/@(?=\w)/g, "@\u200b")
        .replace(/\r?\n/g, " ");
}

/** A code span safe inside a table cell. */
export function code(text: string): string {
    const clean = text.replace(/`/g, "'").replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
    return `\`${clean}\``;
}

export function truncate(text: string, max: number): string {
    return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
