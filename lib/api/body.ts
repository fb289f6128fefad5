import "server-only";
import type { NextRequest } from "next/server";
import { AppError } from "@/lib/errors";

export const MAX_JSON_BODY_BYTES = 4 * 1024 * 1024;

function tooLarge(limit: number): AppError {
  return new AppError("payload_too_large", `Request body larger than ${limit} bytes`);
}

/**
 * Reads a JSON request body. The content type must say JSON (415 otherwise), and
 * the bytes are counted while they arrive: a chunked body without Content-Length
 * is cut off at the limit, never buffered whole first.
 */
export async function readJsonBody(req: NextRequest, limit = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    throw new AppError(
      "unsupported_media_type",
      `Send the request body as application/json${type ? ` (got ${type})` : " (no Content-Type given)"}`,
    );
  }
  const declared = Number(req.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const text = await readLimited(req, limit);
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "Request body is not valid JSON");
  }
}

async function readLimited(req: NextRequest, limit: number): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("bad_request", "Request body is not valid UTF-8");
  }
}
