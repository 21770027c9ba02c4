/**
 * Removes secrets from text that may reach a message, a log or an export: the exact secret
 * values we know of, plus anything shaped like a credential (Authorization headers, signatures,
 * tokens, secret query parameters), whatever the vendor.
 */
const PATTERNS: Array<[RegExp, string]> = [
  // Whole Authorization header values: "Authorization: TC3-HMAC-SHA256 Credential=..., Signature=..."
  [/(authorization["']?\s*[:=]\s*["']?)[^"'\r\n]+/gi, '$1[redacted]'],
  // Signature=<hex/base64> in any scheme (TC3, OSS4, V1) and in query strings.
  [/((?:^|[\s,;&?"'])signature["']?\s*[=:]\s*["']?)[A-Za-z0-9+/=%_-]{8,}/gi, '$1[redacted]'],
  // Credential=<id>/<scope>: keep only the scope so support can still see which service was signed.
  [/(credential=)[^/\s,;&"']+/gi, '$1[redacted]'],
];

/**
 * access_token, secret, token, security tokens in query strings, JSON or headers. A value after
 * "=" or in quotes is always removed. After a bare ":" it may be prose ("WeChat rejected the
 * AppSecret: copy the current AppSecret ..."), so a plain word there stays; anything shaped
 * like a value (digits, mixed case, symbols, long runs) is still removed. Known secret values
 * are removed before this whatever their shape.
 */
const CREDENTIAL_VALUE =
  /((?:access_token|secret|secretkey|secret_key|appsecret|accesskeysecret|x-tc-token|x-oss-security-token|security-token|token)["']?\s*([=:])\s*(["']?))([^"'&\s,;}]+)/gi;

/** An ordinary word of a sentence: short, letters only, at most a capital first (or CJK text). */
const PROSE_WORD = /^(?:\p{Lu}?\p{Ll}{1,15}|[\u3000-\u9fff\uff00-\uffef]+)[.!?)…:]*$/u;

function redactCredentialValue(_m: string, prefix: string, sep: string, quote: string, value: string): string {
  if (sep === ':' && quote === '' && PROSE_WORD.test(value)) return prefix + value;
  return `${prefix}[redacted]`;
}

export function redact(text: string, secrets: Iterable<string | null | undefined> = []): string {
  let out = text;
  // Longest first so a secret that contains another is removed whole.
  const known = [...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 4);
  known.sort((a, b) => b.length - a.length);
  for (const s of known) out = out.split(s).join('[redacted]');
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out.replace(CREDENTIAL_VALUE, redactCredentialValue);
}

/** "AKIDz8kr…Q3f9": enough to recognise an identifier, never enough to use it. */
export function maskIdentifier(id: string): string {
  if (id.length <= 8) return '…' + id.slice(-2);
  return `${id.slice(0, 4)}…${id.slice(-4)}`;
}
