import { isJsonSchemaObject } from "./types.js";

export function escapePointerSegment(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

function unescapePointerSegment(segment: string): string {
  return segment.replaceAll("~1", "/").replaceAll("~0", "~");
}

/** The segments of a local reference's fragment (`#/a/b` → `["a", "b"]`, `#` → `[]`). */
export function pointerSegments(fragment: string): string[] {
  const decoded = decodeURIComponent(fragment);
  if (decoded === "") return [];
  if (!decoded.startsWith("/")) {
    throw new Error(`"#${fragment}" is not a JSON Pointer`);
  }
  return decoded.slice(1).split("/").map(unescapePointerSegment);
}

/** Follows a JSON Pointer inside a document; undefined where it leads nowhere. */
export function resolvePointer(document: unknown, segments: readonly string[]): unknown {
  let current: unknown = document;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else if (isJsonSchemaObject(current) && Object.hasOwn(current, segment)) {
      current = current[segment];
    } else {
      return undefined;
    }
  }
  return current;
}
