/**
 * Text PostgreSQL cannot store. A NUL character (U+0000) is refused in `text` and in `jsonb`, and a lone
 * UTF-16 surrogate (half of a pair, e.g. from `"\ud800"` in JSON) is refused in `jsonb` and silently
 * mangled in `text`. One such character in a customer's message or a setting used to freeze a
 * conversation, so every edge refuses them (the API answers 422 naming the field) and channels that cannot
 * refuse (email) strip them. Pure: no I/O, usable by the API, channels and workflow code alike.
 */

/** A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSAFE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

/** True when `text` holds no NUL and no lone surrogate. */
export function isStorableText(text: string): boolean {
  return !UNSAFE.test(text);
}

/** `text` with NULs removed and each lone surrogate replaced by U+FFFD, as a UTF-8 decoder would. */
export function stripUnsafeText(text: string): string {
  return text.replace(UNSAFE_ALL, (ch) => (ch === '\u0000' ? '' : '\ufffd'));
}

export type TextPath = (string | number)[];

/**
 * The path of the first string (or object key) in `value` that holds a NUL or a lone surrogate, in
 * document order: `['customer', 'name']`, `['alternates', 2]`; `[]` when `value` itself is such a string;
 * undefined when everything is storable. Walks plain objects and arrays only (a File in a form is left
 * alone), with its own stack, so a deeply nested body cannot overflow the call stack.
 */
export function findUnsafeText(value: unknown): TextPath | undefined {
  // Each node points at its parent, so a path is built only for the one string found: depth-linear.
  interface Node { value: unknown; key?: string | number; parent?: Node }
  const pathOf = (node: Node): TextPath => {
    const path: TextPath = [];
    for (let n: Node | undefined = node; n?.key !== undefined; n = n.parent) path.push(n.key);
    return path.reverse();
  };
  const stack: Node[] = [{ value }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { value: v, key } = node;
    if (typeof key === 'string' && !isStorableText(key)) return pathOf(node);
    if (typeof v === 'string') {
      if (!isStorableText(v)) return pathOf(node);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: node });
    } else if (isPlainObject(v)) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], key: entries[i]![0], parent: node });
    }
  }
  return undefined;
}

/** A path as the API names fields (`customer.name`, `alternates.2`), itself free of unsafe text. */
export function formatTextPath(path: TextPath): string {
  return path.map((p) => stripUnsafeText(String(p))).join('.');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
