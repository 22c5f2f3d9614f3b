// Logout leaves nothing of the user on the phone (docs/SYNC.md, principle 7).
import { LOCKS } from "./cache-names.js";
import { stopRoutineSync } from "./routines-sync.js";
import { forgetUserCaches } from "./session-api.js";
import * as store from "./store.js";


const LOGIN_PATH = "/login";

export const signedInUser = () => document.querySelector('meta[name="fickan-user"]')?.content || null;

// Where half-done egenkontroll answers were kept before the phone's database took them.
const OLD_SELF_CHECK_PREFIX = "fickan:selfcheck:";
// Checklist ticks (checklist.js keeps them; that module is the page entry's own, so the prefix is repeated here).
const CHECKLIST_PREFIX = "fickan:checklist:";

// `keepTicksOf`: a user whose checklist ticks stay (the one signing in may have ticked before this ran).
export async function forgetUser({ keepTicksOf = null } = {}) {
  await forgetUserCaches();
  await store.clearUserData();
  const kept = keepTicksOf ? `${CHECKLIST_PREFIX}${keepTicksOf}:` : null;
  Object.keys(localStorage)
    .filter((key) => (key.startsWith(CHECKLIST_PREFIX) && !(kept && key.startsWith(kept))) || key.startsWith(OLD_SELF_CHECK_PREFIX))
    .forEach((key) => localStorage.removeItem(key));
}

// The phone holds one user's routines: another user signing in starts from nothing. Half-done
// egenkontroll answers are kept per user, like the outbox: the same user signing in again after an
// expired login finds theirs; anyone else's go.
export async function claimPhoneFor(userId) {
  const owner = await store.getMeta("user");
  if (owner !== userId) {
    await forgetUser({ keepTicksOf: userId });
    await store.deleteDraftsOfOthers(userId);
    await store.setMeta("user", userId);
  }
}

// Wait until the requests of a running sync have answered: an answer arriving after the logout
// must find nothing to write into.
async function stopTalkingToServer() {
  stopRoutineSync();
  if (!navigator.locks) return;
  for (const name of Object.values(LOCKS)) await navigator.locks.request(name, async () => {});
}

// Logout (app.js holds the form's submit): `check` may stop it (unsent items in the outbox); `cleanUp` ends
// what the server keeps for this phone (push). Then nothing of the user stays, and the form is sent.
export async function logOut(form, { check, cleanUp }) {
  if (!(await check())) return;
  try {
    await stopTalkingToServer();
    await cleanUp().catch(() => {});
    await forgetUser();
    await store.deleteAllDrafts();
  } finally {
    form.submit();
  }
}

// The login page means nobody is signed in here (a session that expired, or logout elsewhere).
export async function forgetUserOnLoginPage() {
  if (location.pathname === LOGIN_PATH && !signedInUser()) await forgetUser().catch(() => {});
}
