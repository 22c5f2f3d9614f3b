// The phone's database (IndexedDB through idb): routines on the phone, sync state, the outbox of
// reports and egenkontroll answers that wait for the server, and half-done egenkontroll answers.
import { openDB } from "idb";

const DB_NAME = "fickan";
const DB_VERSION = 3;
const ROUTINES = "routines";
const META = "meta";
const OUTBOX = "outbox";
const DRAFTS = "self-check-drafts";

let connection = null;

function open() {
  if (!connection) {
    connection = openDB(DB_NAME, DB_VERSION, {
      upgrade(db, oldVersion) {
        if (oldVersion < 1) {
          const routines = db.createObjectStore(ROUTINES, { keyPath: "id" });
          routines.createIndex("slug", "slug", { unique: true });
          db.createObjectStore(META);
        }
        if (oldVersion < 2) db.createObjectStore(OUTBOX, { keyPath: "uuid" }).createIndex("user", "user");
        if (oldVersion < 3) db.createObjectStore(DRAFTS, { keyPath: "key" }).createIndex("user", "user");
      },
      // Another tab wants a newer schema: step aside so it can upgrade.
      blocking() {
        forget();
      },
      // iPhone Safari closes connections under memory pressure: open a fresh one on next use.
      terminated() {
        connection = null;
      },
    });
    connection.catch(() => { connection = null; });
  }
  return connection;
}

function forget() {
  const closing = connection;
  connection = null;
  closing?.then((db) => db.close()).catch(() => {});
}

// Runs a database operation, retrying once on a connection that was closed under us.
async function using(operation) {
  try {
    return await operation(await open());
  } catch (error) {
    if (error?.name !== "InvalidStateError") throw error;
    forget();
    return operation(await open());
  }
}

export const getMeta = (key) => using((db) => db.get(META, key));
export const setMeta = (key, value) => using((db) => db.put(META, value, key));
export const allRoutines = () => using((db) => db.getAll(ROUTINES));
export const routineBySlug = (slug) => using((db) => db.getFromIndex(ROUTINES, "slug", slug));
export const putRoutine = (routine) => using((db) => db.put(ROUTINES, routine));

export function deleteRoutines(ids) {
  return using(async (db) => {
    const tx = db.transaction(ROUTINES, "readwrite");
    await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
  });
}

// Logout or another user: nothing of the previous user may stay.
export function clearUserData() {
  return using(async (db) => {
    const tx = db.transaction([ROUTINES, META], "readwrite");
    await Promise.all([tx.objectStore(ROUTINES).clear(), tx.objectStore(META).clear(), tx.done]);
  });
}

// The outbox. Photos go in as Blobs where the browser can store them; older iPhone Safari cannot,
// so there they go in as ArrayBuffers, tested once by writing a Blob.
let blobsStorable = null;

async function canStoreBlobs() {
  if (blobsStorable === null) {
    try {
      await setMeta("blob-probe", new Blob(["probe"], { type: "text/plain" }));
      blobsStorable = (await getMeta("blob-probe")) instanceof Blob;
    } catch {
      blobsStorable = false;
    }
  }
  return blobsStorable;
}

async function storablePhotos(photos) {
  if (await canStoreBlobs()) return photos;
  return Promise.all(photos.map(async (photo) => ({ ...photo, blob: undefined, buffer: await photo.blob.arrayBuffer() })));
}

function readablePhotos(item) {
  const photos = (item.photos || []).map((photo) => (photo.blob ? photo : { ...photo, blob: new Blob([photo.buffer], { type: photo.type }), buffer: undefined }));
  return { ...item, photos };
}

export async function putOutboxItem(item) {
  const stored = { ...item, photos: await storablePhotos(item.photos || []) };
  await using((db) => db.put(OUTBOX, stored));
}

export async function outboxItem(uuid) {
  const item = await using((db) => db.get(OUTBOX, uuid));
  return item ? readablePhotos(item) : null;
}

export async function outboxItemsOf(userId) {
  const items = await using((db) => db.getAllFromIndex(OUTBOX, "user", userId));
  return items.map(readablePhotos).sort((a, b) => a.savedAt - b.savedAt);
}

export const countOutboxOf = (userId) => using((db) => db.countFromIndex(OUTBOX, "user", userId));

// Changes the stored item in one transaction; photos are left as they are stored.
export function updateOutboxItem(uuid, changes) {
  return using(async (db) => {
    const tx = db.transaction(OUTBOX, "readwrite");
    const item = await tx.store.get(uuid);
    if (item) await tx.store.put({ ...item, ...changes });
    await tx.done;
    return item ? { ...item, ...changes } : null;
  });
}

export const deleteOutboxItem = (uuid) => using((db) => db.delete(OUTBOX, uuid));

export async function clearOutboxOf(userId) {
  const items = await using((db) => db.getAllKeysFromIndex(OUTBOX, "user", userId));
  await using(async (db) => {
    const tx = db.transaction(OUTBOX, "readwrite");
    await Promise.all([...items.map((uuid) => tx.store.delete(uuid)), tx.done]);
  });
}

// Half-done egenkontroll answers, one per user, task and form version ({key, user, task, version, answers}).
export const draftKey = (userId, task, version) => `${userId}:${task}:${version}`;
export const getDraft = (key) => using((db) => db.get(DRAFTS, key));
export const putDraft = (draft) => using((db) => db.put(DRAFTS, draft));

function deleteDraftsWhere(keep) {
  return using(async (db) => {
    const tx = db.transaction(DRAFTS, "readwrite");
    const drafts = await tx.store.getAll();
    await Promise.all([...drafts.filter((draft) => !keep(draft)).map((draft) => tx.store.delete(draft.key)), tx.done]);
  });
}

// Sent, or answered under another version: no answers of that task are half-done any more.
export const deleteDraftsOfTask = (userId, task) => deleteDraftsWhere((draft) => draft.user !== userId || draft.task !== task);
export const deleteDraftsOf = (userId) => deleteDraftsWhere((draft) => draft.user !== userId);
export const deleteAllDrafts = () => using((db) => db.clear(DRAFTS));
export const deleteDraftsOfOthers = (userId) => deleteDraftsWhere((draft) => draft.user === userId);
