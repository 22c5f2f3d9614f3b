// The app shell to precache. The server writes the list (self.__WB_MANIFEST) in front of this
// bundle when it serves /sw.js, with the same content-hashed URLs its pages link to.
export function precacheList() {
  return self.__WB_MANIFEST || [];
}

export const release = () => self.__FICKAN_RELEASE || "development";

// The precached URL of each shell file by path, for pages cached under an earlier version.
export function currentShellUrls() {
  return new Map(precacheList().map((entry) => {
    const url = new URL(entry.url, self.location.href);
    return [url.pathname, url.pathname + url.search];
  }));
}
