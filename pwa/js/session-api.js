// Who is signed in, and a CSRF token that fits the current session: asked of the server, because
// a page on the phone may be old and the service worker has no page at all. No DOM: used by both.
import { USER_CACHES } from "./cache-names.js";

const SESSION = "/api/v1/session";

// The session is gone: what the phone kept of the user's pages goes too (the outbox stays).
export async function forgetUserCaches() {
  await Promise.all(USER_CACHES.map((name) => caches.delete(name)));
}

// Resolves to {user, csrfToken}, to null when nobody is signed in; throws when the server cannot say.
export async function currentSession() {
  const response = await fetch(SESSION, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
  if (response.status === 401) {
    await forgetUserCaches().catch(() => {});
    return null;
  }
  const body = response.ok ? await response.json().catch(() => null) : null;
  if (!body || typeof body.csrf_token !== "string") throw new Error(`session: ${response.status}`);
  return { user: String(body.user), csrfToken: body.csrf_token };
}
