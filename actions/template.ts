/**
 * The templates of an action, filled: the URL and the body over the inputs, the reply over the inputs and
 * the JSON answer. Pure functions, no I/O, no Node builtins.
 *
 * Invariants: a customer's value never changes where a call goes — placeholders stand only in a URL's path
 * and query (urlTemplateProblem refuses them in the scheme, host or port), each is URL-encoded, and `.` or
 * `..` is refused where it would climb the path; in a JSON body a value is always one JSON value (escaped
 * inside a string, quoted or a number outside one), so it never adds a field.
 */
import type { InputValue } from '../domain/action.js';

/** The values a template is filled with; an optional input not given is undefined. */
export type TemplateValues = Readonly<Record<string, InputValue | undefined>>;

/** `{name}`: an input, in a URL or body template. */
const INPUT_PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]{0,63})\}/g;
/** `{name}`, `{order.status}`, `{items.0.name}`: an input or a path into the answer, in a response template. */
const VALUE_PLACEHOLDER = /\{([A-Za-z0-9_$-]+(?:\.[A-Za-z0-9_$-]+)*)\}/g;

/** A value that cannot go where its placeholder stands; `input` names it. */
export class TemplateError extends Error {
  override name = 'TemplateError';
  constructor(readonly input: string, message: string) {
    super(message);
  }
}

/** The input names a URL or body template refers to, each once, in order. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(INPUT_PLACEHOLDER)].map((m) => m[1]!))];
}

/** The placeholders of `template` that name no declared input. */
export function undeclaredPlaceholders(template: string, declared: Iterable<string>): string[] {
  const known = new Set(declared);
  return placeholders(template).filter((name) => !known.has(name));
}

/**
 * Why a URL template cannot be an action's URL, or undefined when it can: it must be http(s) and its
 * placeholders may stand only in the path and query, so the host checked at creation is the host called.
 */
export function urlTemplateProblem(template: string): string | undefined {
  const parse = (filler: string) => {
    try {
      return new URL(template.replace(INPUT_PLACEHOLDER, filler));
    } catch {
      return undefined;
    }
  };
  const a = parse('a');
  const b = parse('b');
  if (!a || !b) return 'is not a URL (write it in full, e.g. https://shop.example.com/orders/{orderNumber})';
  if (a.protocol !== 'http:' && a.protocol !== 'https:') return `must be http or https, not ${a.protocol.replace(/:$/, '')}`;
  if (a.origin !== b.origin || a.username !== b.username || a.password !== b.password) {
    return 'may have {placeholders} only in its path and query, not in its scheme, host or port';
  }
  return undefined;
}

/** The URL with each `{input}` replaced by its URL-encoded value (an input not given: nothing). */
export function fillUrl(template: string, values: TemplateValues): string {
  const queryStart = template.indexOf('?');
  return template.replace(INPUT_PLACEHOLDER, (_whole, name: string, offset: number) => {
    const value = values[name];
    const text = value === undefined ? '' : String(value);
    // A path segment of `.` or `..` (also as %2e) is resolved away by the URL parser: the call would climb the path.
    if ((queryStart < 0 || offset < queryStart) && /^\s*\.{1,2}\s*$/.test(text)) {
      throw new TemplateError(name, `${name}: "${text}" cannot stand in the URL's path`);
    }
    return encodeURIComponent(text);
  });
}

export interface FilledBody {
  body: string;
  /** What the body is; a Content-Type header the action declares wins over it. */
  contentType: string;
}

/**
 * The body template filled. A template that is JSON (once its placeholders are filled) gets each value
 * JSON-escaped: inside a string as its escaped text, outside one as a number or a quoted string (an input
 * not given: `null` there, nothing inside a string). A form body (`contentType` x-www-form-urlencoded)
 * gets values URL-encoded; any other template, the text as it is.
 */
export function fillBody(template: string, values: TemplateValues, contentType?: string): FilledBody {
  if (isJsonTemplate(template)) return { body: fillJson(template, values), contentType: 'application/json' };
  const form = /application\/x-www-form-urlencoded/i.test(contentType ?? '');
  const body = template.replace(INPUT_PLACEHOLDER, (_whole, name: string) => {
    const value = values[name];
    const text = value === undefined ? '' : String(value);
    return form ? encodeURIComponent(text) : text;
  });
  return { body, contentType: form ? 'application/x-www-form-urlencoded' : 'text/plain; charset=utf-8' };
}

/** Without a body template, POST, PUT and PATCH send the inputs given as one JSON object. */
export function inputsAsJson(values: TemplateValues): FilledBody {
  const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  return { body: JSON.stringify(given), contentType: 'application/json' };
}

function isJsonTemplate(template: string): boolean {
  // `0` is valid both inside a string and as a value, so a JSON template stays JSON with it in every placeholder.
  try {
    JSON.parse(template.replace(INPUT_PLACEHOLDER, '0'));
    return true;
  } catch {
    return false;
  }
}

function fillJson(template: string, values: TemplateValues): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (inString && ch === '\\') {
      out += ch + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') inString = !inString;
    if (ch === '{') {
      const m = /^\{([A-Za-z][A-Za-z0-9_]{0,63})\}/.exec(template.slice(i, i + 67));
      if (m) {
        const value = values[m[1]!];
        out += inString ? jsonInString(value) : jsonValue(value);
        i += m[0].length - 1;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

function jsonInString(value: InputValue | undefined): string {
  return value === undefined ? '' : JSON.stringify(String(value)).slice(1, -1);
}

function jsonValue(value: InputValue | undefined): string {
  if (value === undefined) return 'null';
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
}

export interface FilledText {
  text: string;
  /** The placeholders that found no value (rendered as nothing): a mistake in the template, or an answer without that field. */
  missing: string[];
}

/** The longest reply a response template makes, and the longest one value may take in it. */
export const MAX_TEXT_LENGTH = 4000;
const MAX_VALUE_LENGTH = 500;

/**
 * The response template filled: `{name}` is the input of that name when there is one, otherwise a path
 * into the JSON answer (`{status}`, `{order.status}`, `{items.0.name}`). A value not found, or null,
 * renders as nothing and is listed in `missing`; a list of plain values as `a, b, c`; an object as
 * compact JSON. Never throws.
 */
export function fillResponse(template: string, scope: { inputs: TemplateValues; response: unknown }): FilledText {
  const missing: string[] = [];
  const text = template.replace(VALUE_PLACEHOLDER, (_whole, path: string) => {
    const input = path.includes('.') || !Object.hasOwn(scope.inputs, path) ? undefined : scope.inputs[path];
    const value = input !== undefined ? input : lookup(scope.response, path.split('.'));
    const rendered = render(value);
    if (rendered === undefined) {
      missing.push(path);
      return '';
    }
    return rendered;
  });
  return { text: text.slice(0, MAX_TEXT_LENGTH), missing: [...new Set(missing)] };
}

function lookup(value: unknown, path: string[]): unknown {
  let here = value;
  for (const key of path) {
    if (Array.isArray(here)) {
      if (!/^\d+$/.test(key)) return undefined;
      here = here[Number(key)];
    } else if (here !== null && typeof here === 'object' && Object.hasOwn(here, key)) {
      here = (here as Record<string, unknown>)[key];
    } else {
      return undefined;
    }
  }
  return here;
}

function render(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.slice(0, MAX_VALUE_LENGTH);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) return value.join(', ').slice(0, MAX_VALUE_LENGTH);
  try {
    return JSON.stringify(value).slice(0, MAX_VALUE_LENGTH);
  } catch {
    return undefined;
  }
}

/** The reply of an action without a response template: neutral, with the service's status. */
export function defaultResponseText(actionName: string, status: number): string {
  return `${actionName}: done (the service answered ${status}).`;
}
