/**
 * Request signing with WebCrypto, byte for byte as docs/protocol.md section 6 and the server compute it: `legacy`
 * (HMAC-SHA1 keyed by the lower-cased user id over the body), `toto` (HMAC-SHA1 keyed by the session's key over verb,
 * request target and body; answers over session id and body) and `signed` (HMAC-SHA256 over a canonical request with
 * a timestamp and a single-use nonce; answers over the nonce and the body's SHA-256).
 */
export type SigningMode = "none" | "legacy" | "toto" | "signed";

export interface SigningSession {
  readonly id: string;
  readonly userId?: string | undefined;
  readonly key?: string | undefined;
}

const encoder = new TextEncoder();

export interface SignedRequest {
  headers: Record<string, string>;
  /** What the answer's signature covers besides its body (the nonce in signed mode). */
  nonce?: string;
}

export async function signRequest(
  mode: SigningMode, session: SigningSession | undefined, method: string, url: URL, contentType: string, body: Uint8Array,
): Promise<SignedRequest> {
  if (!session) return { headers: {} };
  switch (mode) {
    case "legacy":
      return session.userId ? { headers: { "x-toto-hmac": await hmac("SHA-1", session.userId.toLowerCase(), body) } } : { headers: {} };
    case "toto":
      return session.key
        ? { headers: { "x-toto-hmac": await hmac("SHA-1", session.key, concat(encoder.encode(method + url.pathname + url.search), body)) } }
        : { headers: {} };
    case "signed": {
      if (!session.key) return { headers: {} };
      const timestamp = Math.floor(Date.now() / 1000).toString();
      const nonce = base64Url(crypto.getRandomValues(new Uint8Array(18)));
      const canonical = [method, url.pathname, url.search.replace(/^\?/, ""), contentType, session.id, timestamp, nonce, await sha256Hex(body)].join("\n");
      return {
        headers: {
          "x-tessera-timestamp": timestamp,
          "x-tessera-nonce": nonce,
          "x-toto-hmac": await hmac("SHA-256", session.key, encoder.encode(canonical)),
        },
        nonce,
      };
    }
    default:
      return { headers: {} };
  }
}

/** Whether an answer to this request must be signed: the server signs every answer to a signed session's call. */
export function expectsSignedAnswer(mode: SigningMode, session: SigningSession | undefined, nonce: string | undefined): boolean {
  switch (mode) {
    case "legacy": return !!session?.userId;
    case "toto": return !!session?.key;
    case "signed": return !!session?.key && !!nonce;
    default: return false;
  }
}

export async function answerMatches(
  mode: SigningMode, header: string | null, session: SigningSession, nonce: string | undefined, body: Uint8Array,
): Promise<boolean> {
  if (!header) return false;
  let expected: string;
  switch (mode) {
    case "legacy":
      expected = await hmac("SHA-1", session.userId!.toLowerCase(), body);
      break;
    case "toto":
      expected = await hmac("SHA-1", session.key!, concat(encoder.encode(session.id), body));
      break;
    default:
      expected = await hmac("SHA-256", session.key!, encoder.encode(`tessera-response\n${nonce}\n${await sha256Hex(body)}`));
  }
  return constantTimeEquals(header, expected);
}

async function hmac(hash: "SHA-1" | "SHA-256", key: string, data: Uint8Array): Promise<string> {
  const cryptoKey = await crypto.subtle.importKey("raw", encoder.encode(key), { name: "HMAC", hash }, false, ["sign"]);
  return base64(new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, data as BufferSource)));
}

async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  const result = new Uint8Array(first.length + second.length);
  result.set(first, 0);
  result.set(second, first.length);
  return result;
}

function base64(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

function base64Url(bytes: Uint8Array): string {
  return base64(bytes).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

/** Compares two signatures without stopping at the first difference. */
function constantTimeEquals(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    difference |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  }
  return difference === 0;
}
