// What must never reach a pull-request comment: values Pulumi marks secret, inputs that hold credentials,
// and credentials inside free text (diagnostic messages), which are masked.
import { isRecord } from "./read";

/** Pulumi's marker of a secret value in serialized state (with `plaintext` or `ciphertext` beside it). */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Inputs that hold credentials whatever they contain: only their name is ever shown. */
export const SENSITIVE_PROPERTIES: readonly string[] = ["sensitiveConfig", "auth", "secrets", "connection"];

export function isSecretValue(value: unknown): boolean {
    return value === "[secret]" || (isRecord(value) && value[SECRET_SIG_KEY] === SECRET_SIG);
}

// eslint-disable-next-line no-control-regex -- ESC starts the color codes pulumi prints
const ANSI = /\u001b\[[0-9;]*m/g;

/** Masks credentials in free text: given literals, `password=…`-style pairs, URL user info, SQL IDENTIFIED BY. */
export function redactText(text: string, literals: string[] = []): string {
    let out = text.replace(ANSI, "");
    for (const literal of [...literals].filter((value) => value && value.length >= 4).sort((a, b) => b.length - a.length)) {
        out = out.split(literal).join("[redacted]");
    }
    return out
        .replace(
            /((?:password|passwd|pwd|secret|token|api[_-]?key|credentials?)["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;}&)]+)/gi,
            "$1[redacted]",
        )
        .replace(/(\/\/[^/\s:@]+:)[^@\s/]+@/g, "$1[redacted]@")
        .replace(/(IDENTIFIED\s+BY\s+(?:PASSWORD\s+)?)('[^']*'|"[^"]*"|\S+)/gi, "$1[redacted]");
}
