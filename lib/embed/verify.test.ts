import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { base64url, decodeJws, hs256, signHs256 } from "./jws";
import { createLinkToken, readLinkToken } from "./link-token";
import { EMBED_AUDIENCE, SIGNED_TOKEN_MAX_SECONDS } from "./model";
import { siteTarget } from "./scope";
import { type GrantRecord, verifyEmbedToken } from "./verify";

const NOW = Date.UTC(2027, 0, 15, 12, 0, 0);
const nowS = NOW / 1000;
const SECRET = "oes_portal-secret-for-tests-0123456789abcdef";
const linkKey = randomBytes(32);

function grant(over: Partial<GrantRecord> = {}): GrantRecord {
  return {
    id: "grantsigned0001",
    kind: "site-status",
    mode: "signed",
    site: null,
    filter: { kind: "store" },
    metric: null,
    ranges: ["1h", "6h", "24h"],
    defaultRange: "1h",
    origins: ["https://portal.example.com"],
    expiresAt: NOW + 86_400_000,
    revokedAt: null,
    isOwnerDisabled: false,
    tokenHash: null,
    rateLimitPerMinute: 60,
    secret: () => SECRET,
    ...over,
  };
}

function ctx(g: GrantRecord | null, over: { now?: number; key?: Buffer } = {}) {
  return {
    linkKey: over.key ?? linkKey,
    now: over.now ?? NOW,
    loadGrant: async (id: string) => (g && g.id === id ? g : null),
  };
}

const claims = (over: Record<string, unknown> = {}) => ({
  aud: EMBED_AUDIENCE,
  grant: "grantsigned0001",
  iat: nowS,
  exp: nowS + 600,
  params: { site: "store-042" },
  ...over,
});

describe("signed-mode tokens (JWS HS256)", () => {
  it("accepts a well-formed token and hands back its parameters", async () => {
    const token = signHs256(claims(), SECRET, { kid: "grantsigned0001" });
    const r = await verifyEmbedToken(token, ctx(grant()));
    expect(r).toMatchObject({ ok: true, params: { site: "store-042" }, tokenExpiresAt: (nowS + 600) * 1000 });
  });

  it("refuses a tampered payload (same signature, other site)", async () => {
    const token = signHs256(claims(), SECRET);
    const [h, , s] = token.split(".");
    const forged = `${h}.${base64url(JSON.stringify(claims({ params: { site: "store-001" } })))}.${s}`;
    const r = await verifyEmbedToken(forged, ctx(grant()));
    expect(r).toMatchObject({
      ok: false,
      reason: "invalid",
      message: "signature does not verify",
      grant: null,
    });
  });

  it("refuses a token signed with another key, and says nothing about the grant", async () => {
    const r = await verifyEmbedToken(signHs256(claims(), "oes_wrong"), ctx(grant({ revokedAt: NOW - 1 })));
    expect(r).toMatchObject({ ok: false, reason: "invalid", grant: null });
  });

  it("refuses alg none, other algorithms and garbage", async () => {
    const payload = base64url(JSON.stringify(claims()));
    const none = `${base64url(JSON.stringify({ alg: "none" }))}.${payload}.`;
    const hs512 = `${base64url(JSON.stringify({ alg: "HS512" }))}.${payload}.${base64url(hs256(SECRET, "x"))}`;
    for (const t of [none, hs512, "a.b.c", "not-a-token", "", `${"x".repeat(5000)}.a.b`]) {
      const r = await verifyEmbedToken(t, ctx(grant()));
      expect(r, t.slice(0, 30)).toMatchObject({ ok: false, reason: "invalid" });
    }
    expect(decodeJws(hs512)).toEqual({ error: "unsupported-alg" });
  });

  it("refuses an expired token with its expiry time", async () => {
    const token = signHs256(claims({ iat: nowS - 900, exp: nowS - 5 }), SECRET);
    const r = await verifyEmbedToken(token, ctx(grant()));
    expect(r).toMatchObject({ ok: false, reason: "token-expired", expiredAt: (nowS - 5) * 1000 });
  });

  it("refuses tokens that live longer than 15 minutes", async () => {
    const far = signHs256(claims({ iat: undefined, exp: nowS + SIGNED_TOKEN_MAX_SECONDS + 120 }), SECRET);
    expect(await verifyEmbedToken(far, ctx(grant()))).toMatchObject({ ok: false, reason: "invalid" });
    const long = signHs256(claims({ iat: nowS - 600, exp: nowS + 600 }), SECRET);
    expect(await verifyEmbedToken(long, ctx(grant()))).toMatchObject({
      ok: false,
      reason: "invalid",
      message: expect.stringContaining("exp − iat"),
    });
    const exact = signHs256(claims({ iat: nowS, exp: nowS + SIGNED_TOKEN_MAX_SECONDS }), SECRET);
    expect(await verifyEmbedToken(exact, ctx(grant()))).toMatchObject({ ok: true });
  });

  it("refuses a wrong or missing audience", async () => {
    for (const aud of ["outpost", "https://other.example", undefined, ["x", "y"]]) {
      const r = await verifyEmbedToken(signHs256(claims({ aud }), SECRET), ctx(grant()));
      expect(r, String(aud)).toMatchObject({
        ok: false,
        reason: "invalid",
        message: expect.stringContaining("aud"),
      });
    }
    const listed = signHs256(claims({ aud: ["x", EMBED_AUDIENCE] }), SECRET);
    expect(await verifyEmbedToken(listed, ctx(grant()))).toMatchObject({ ok: true });
  });

  it("refuses a future iat or nbf beyond the clock skew, accepts within it", async () => {
    const future = signHs256(claims({ iat: nowS + 300, exp: nowS + 600 }), SECRET);
    expect(await verifyEmbedToken(future, ctx(grant()))).toMatchObject({
      reason: "invalid",
      message: "iat is in the future",
    });
    const nbf = signHs256(claims({ nbf: nowS + 300 }), SECRET);
    expect(await verifyEmbedToken(nbf, ctx(grant()))).toMatchObject({ reason: "invalid" });
    const skewed = signHs256(claims({ iat: nowS + 30, exp: nowS + 600 }), SECRET);
    expect(await verifyEmbedToken(skewed, ctx(grant()))).toMatchObject({ ok: true });
  });

  it("refuses a token for another grant or without one", async () => {
    const other = signHs256(claims({ grant: "grantsigned0002" }), SECRET, { kid: "grantsigned0001" });
    expect(await verifyEmbedToken(other, ctx(grant()))).toMatchObject({ reason: "invalid" });
    const none = signHs256(claims({ grant: undefined }), SECRET);
    expect(await verifyEmbedToken(none, ctx(grant()))).toMatchObject({ reason: "invalid" });
    // A link-mode grant cannot be used with a signed token, even with the right id.
    const asLink = grant({ mode: "link" });
    expect(await verifyEmbedToken(signHs256(claims(), SECRET), ctx(asLink))).toMatchObject({
      reason: "invalid",
    });
  });

  it("refuses unknown parameters and bad values", async () => {
    for (const params of [
      { site: "store-042", siteId: "x" },
      { range: "30d" },
      { kind: "spaceship" },
      "store",
    ]) {
      const r = await verifyEmbedToken(signHs256(claims({ params }), SECRET), ctx(grant()));
      expect(r, JSON.stringify(params)).toMatchObject({ ok: false, reason: "invalid" });
    }
  });

  it("refuses a revoked, expired or orphaned grant even with a valid token", async () => {
    const token = signHs256(claims(), SECRET);
    expect(await verifyEmbedToken(token, ctx(grant({ revokedAt: NOW - 1_000 })))).toMatchObject({
      reason: "revoked",
    });
    expect(await verifyEmbedToken(token, ctx(grant({ expiresAt: NOW - 1_000 })))).toMatchObject({
      reason: "expired",
      expiredAt: NOW - 1_000,
    });
    expect(await verifyEmbedToken(token, ctx(grant({ isOwnerDisabled: true })))).toMatchObject({
      reason: "disabled",
    });
    expect(await verifyEmbedToken(token, ctx(null))).toMatchObject({ reason: "invalid" });
  });

  it("keeps working when the server key rotates (the grant's own secret signs)", async () => {
    const token = signHs256(claims(), SECRET);
    expect(await verifyEmbedToken(token, ctx(grant(), { key: randomBytes(32) }))).toMatchObject({ ok: true });
  });
});

describe("link-mode tokens", () => {
  const linkGrant = (hash: string, over: Partial<GrantRecord> = {}) =>
    grant({
      id: "grantlink00001",
      mode: "link",
      kind: "temperature",
      site: { id: "site1aaaaaaaa", slug: "farm", name: "Farm" },
      filter: {},
      tokenHash: hash,
      secret: () => null,
      ...over,
    });

  it("accepts the issued token", async () => {
    const { token, hash } = createLinkToken(linkKey, "grantlink00001");
    expect(await verifyEmbedToken(token, ctx(linkGrant(hash)))).toMatchObject({ ok: true, params: {} });
  });

  it("is dead once the server key is rotated", async () => {
    const { token, hash } = createLinkToken(linkKey, "grantlink00001");
    const rotated = randomBytes(32);
    expect(readLinkToken(rotated, token)).toBeNull();
    expect(await verifyEmbedToken(token, ctx(linkGrant(hash), { key: rotated }))).toMatchObject({
      ok: false,
      reason: "invalid",
      grant: null,
    });
  });

  it("refuses a tampered token, a replaced one and one for another grant", async () => {
    const { token, hash } = createLinkToken(linkKey, "grantlink00001");
    const i = token.length - 10;
    const flipped = `${token.slice(0, i)}${token[i] === "A" ? "B" : "A"}${token.slice(i + 1)}`;
    expect(await verifyEmbedToken(flipped, ctx(linkGrant(hash)))).toMatchObject({ reason: "invalid" });
    const reissued = createLinkToken(linkKey, "grantlink00001");
    expect(await verifyEmbedToken(token, ctx(linkGrant(reissued.hash)))).toMatchObject({
      reason: "invalid",
      message: "link token was replaced",
    });
    const otherId = token.replace("grantlink00001", "grantlink00002");
    expect(await verifyEmbedToken(otherId, ctx(linkGrant(hash)))).toMatchObject({ reason: "invalid" });
  });

  it("is refused at once after revocation, and after expiry with the date", async () => {
    const { token, hash } = createLinkToken(linkKey, "grantlink00001");
    expect(await verifyEmbedToken(token, ctx(linkGrant(hash, { revokedAt: NOW })))).toMatchObject({
      reason: "revoked",
    });
    expect(await verifyEmbedToken(token, ctx(linkGrant(hash, { expiresAt: NOW })))).toMatchObject({
      reason: "expired",
      expiredAt: NOW,
    });
  });
});

describe("locked parameters stay inside the grant", () => {
  const one = { site: { id: "site1aaaaaaaa", slug: "store-042" }, filter: {} };
  it("a one-site grant shows that site, by id or slug, and nothing else", () => {
    expect(siteTarget(one, {})).toEqual({ type: "fixed", siteId: "site1aaaaaaaa" });
    expect(siteTarget(one, { site: "store-042" })).toEqual({ type: "fixed", siteId: "site1aaaaaaaa" });
    expect(siteTarget(one, { site: "store-001" })).toMatchObject({ reason: "scope" });
    expect(siteTarget(one, { kind: "store" })).toMatchObject({ reason: "scope" });
  });

  it("a filter grant needs a site and may only narrow its filter", () => {
    const stores = { site: null, filter: { kind: "store" as const } };
    expect(siteTarget(stores, {})).toMatchObject({ reason: "scope" });
    expect(siteTarget(stores, { site: "store-042" })).toEqual({
      type: "pick",
      site: "store-042",
      filter: { kind: "store" },
    });
    expect(siteTarget(stores, { site: "truck-1", kind: "vehicle" })).toMatchObject({ reason: "scope" });
    expect(siteTarget(stores, { site: "store-042", label: "region=north" })).toMatchObject({
      filter: { kind: "store", label: "region=north" },
    });
    const labelled = { site: null, filter: { label: "chain=acme" } };
    expect(siteTarget(labelled, { site: "x", label: "chain=other" })).toMatchObject({ reason: "scope" });
  });
});
