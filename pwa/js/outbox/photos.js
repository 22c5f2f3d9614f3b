// Photos are made small on the phone before they are stored, so a waiting report stays small:
// long edge at most 2048 px, JPEG. Drawing on a canvas also leaves every piece of metadata behind.
const LONG_EDGE = 2048;
const JPEG_QUALITY = 0.85;

export class PhotoUnreadable extends Error {}

async function decode(file) {
  try {
    return await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch (error) {
    throw new PhotoUnreadable(file.name || "foto", { cause: error });
  }
}

function canvasOfSize(width, height) {
  if (typeof OffscreenCanvas !== "undefined") return new OffscreenCanvas(width, height);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

function encode(canvas) {
  if (canvas.convertToBlob) return canvas.convertToBlob({ type: "image/jpeg", quality: JPEG_QUALITY });
  return new Promise((resolve, reject) => canvas.toBlob(
    (blob) => (blob ? resolve(blob) : reject(new Error("encode"))), "image/jpeg", JPEG_QUALITY,
  ));
}

export async function downscalePhoto(file) {
  const bitmap = await decode(file);
  const scale = Math.min(1, LONG_EDGE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = canvasOfSize(width, height);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, width, height);
  bitmap.close?.();
  return { blob: await encode(canvas), width, height };
}
