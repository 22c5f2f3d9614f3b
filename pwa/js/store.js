// The phone's database (IndexedDB through idb): routines on the phone and sync state.
// The report outbox joins it as another object store in a later version of the schema.
import { openDB } from "idb";

const DB_NAME = "fickan";
const DB_VERSION = 1;
const ROUTINES = "routines";
const META = "meta";

let connection = null;

function open() {
  if (!connection) {
    connection = openDB(DB_NAME, DB_VERSION, {
      upgrade(db) {
        const routines = db.createObjectStore(ROUTINES, { keyPath: "id" });
        routines.createIndex("slug", "slug", { unique: true });
        db.createObjectStore(META);
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
