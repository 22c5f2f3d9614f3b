// Who is signed in, and a CSRF token that fits the current session: asked of the server, because
// a page on the phone may be old and the service worker has no page at all. No DOM: used by both.
const SESSION = "/api/v1/session";

// Resolves to {user, csrfToken}, to null when nobody is signed in; throws when the server cannot say.
export async function currentSession() {
  const response = await fetch(SESSION, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
  if (response.status === 401) return null;
  const body = response.ok ? await response.json().catch(() => null) : null;
  if (!body || typeof body.csrf_token !== "string") throw new Error(`session: ${response.status}`);
  return { user: String(body.user), csrfToken: body.csrf_token };
}
