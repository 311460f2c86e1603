/**
 * POST /v1/agents/:agentId/files — multipart uploads. Every file of a request is extracted before any is
 * stored; a refusal of one stores none, and a storage failure removes what that request stored, so an
 * upload is all or nothing for what it adds; a file that repeats a stored one replaces it in place, and that
 * replacement is not undone when a later file of the request fails (the old content is gone by then). The body size is capped here (the JSON routes' lower cap does not apply).
 */
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ExtractError, formatBytes, type ExtractErrorCode, type Extracted } from '../../knowledge/extract/types.js';
import type { FileIngestor } from '../../knowledge/extract/ingest-file.js';
import { stripUnsafeText } from '../../domain/text.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, fromZodError, type ErrorCode } from '../errors.js';
import { AgentIdParam, UploadedFiles, UploadFilesForm } from '../schemas.js';
import { params, refuseUnstorableText } from '../validate.js';
import { allow } from '../middleware/roles.js';
import { audit } from '../audit.js';
import { errors, json, openApiRouter, v1Route } from '../openapi.js';

/** Paths this router serves, for the app-wide JSON body cap to step aside. */
export const FILE_UPLOAD_PATH = /^\/v1\/agents\/[^/]+\/files\/?$/;

const CODES: Record<ExtractErrorCode, ErrorCode> = {
  empty: 'empty_file',
  corrupt: 'corrupt_file',
  encrypted: 'encrypted_file',
  unsupported: 'unsupported_file',
  too_large: 'payload_too_large',
  no_transcript: 'no_transcript',
  unavailable: 'unavailable',
};

const upload = v1Route({
  method: 'post', path: '/{agentId}/files', operationId: 'uploadFiles', tags: ['sources'],
  summary: 'Upload files (multipart, parts named file; optional title per file and kind); the type is read from the bytes; all or nothing',
  middleware: [allow('admin')],
  // For the document: the form is read and checked by readForm below, not by a validator.
  request: { params: AgentIdParam, body: { required: true, content: { 'multipart/form-data': { schema: UploadFilesForm } } } },
  responses: { 201: json(UploadedFiles, 'Every file is stored'), ...errors(400, 413, 415, 422, 503) },
});

export function fileRoutes(deps: ApiDeps) {
  const { db } = deps;
  const app = openApiRouter();
  const files = deps.files;
  if (files) {
    const { maxUploadBytes, maxFileBytes } = files.limits;
    // An upload refused before its body was read leaves unread bytes on the connection: close it, so a
    // client does not send its next request down a socket the server is about to drop.
    app.use('/:agentId/files', async (c, next) => {
      await next();
      if (c.res.status === 413) c.res.headers.set('connection', 'close');
    });
    app.use('/:agentId/files', bodyLimit({
      maxSize: maxUploadBytes,
      onError: () => {
        throw new ApiError('payload_too_large', `the upload is larger than ${formatBytes(maxUploadBytes)}; each file may be at most `
          + `${formatBytes(maxFileBytes)}, and larger sets go in several requests`, 'file');
      },
    }));
  }
  return app.openapi(upload, async (c) => {
    const { agentId } = params(c, AgentIdParam);
    if (!files) throw new ApiError('unavailable', 'file uploads are not enabled on this server');
    const form = await readForm(c);
    if (form.file.length > files.limits.maxFiles) {
      throw new ApiError('invalid_request', `at most ${files.limits.maxFiles} files per request; send the rest in another`, 'file');
    }
    const titles = form.title ?? [];
    if (titles.length > 0 && titles.length !== form.file.length) {
      throw new ApiError('invalid_request', `give one title per file (${form.file.length}) or none`, 'title');
    }

    const extracted: { name: string; size: number; out: Extracted }[] = [];
    for (const [i, file] of form.file.entries()) {
      const field = form.file.length > 1 ? `file[${i}]` : 'file';
      const name = cleanName(file.name) || `file-${i + 1}`;
      if (file.size > files.limits.maxFileBytes) {
        throw new ApiError('payload_too_large', `${name} is ${formatBytes(file.size)}; files may be at most ${formatBytes(files.limits.maxFileBytes)}`, field);
      }
      try {
        const out = await files.extract({ name, bytes: new Uint8Array(await file.arrayBuffer()), ...(file.type ? { declaredType: file.type } : {}) });
        extracted.push({ name, size: file.size, out });
      } catch (err) {
        if (err instanceof ExtractError) throw new ApiError(CODES[err.code], err.message, field);
        throw err;
      }
    }

    const stored: { id: string; title: string; chunks: number; type: string; updated?: true }[] = [];
    try {
      for (const [i, f] of extracted.entries()) {
        const saved = await files.store({
          agentId, fileName: f.name, size: f.size, extracted: f.out,
          ...(titles[i] ? { title: titles[i] } : {}),
          ...(form.kind ? { kind: form.kind } : {}),
        });
        stored.push({ ...saved, type: f.out.type });
      }
    } catch (err) {
      await undo(files, agentId, stored.filter((s) => !s.updated).map((s) => s.id));
      throw err;
    }
    for (const s of stored) await audit(c, db, s.updated ? 'source.updated' : 'source.created', { type: 'source', id: s.id }, { agentId, type: 'file', title: s.title });
    return c.json(UploadedFiles.parse({ files: stored }), 201);
  });
}

async function readForm(c: Context) {
  const type = c.req.header('content-type') ?? '';
  if (!/^multipart\/form-data\b/i.test(type)) {
    throw new ApiError('unsupported_media_type', 'send files as multipart/form-data with one or more parts named file');
  }
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError('malformed_body', `the multipart body cannot be read: ${(err as Error).message}`);
  }
  // Text fields become columns: refused like a JSON body's (files' names are cleaned instead).
  refuseUnstorableText(body);
  const asArray = (v: unknown) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);
  const parsed = UploadFilesForm.safeParse({
    ...body,
    ...(body.file !== undefined || !('file' in body) ? { file: asArray(body.file) ?? [] } : {}),
    ...(body.title !== undefined ? { title: asArray(body.title) } : {}),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') {
      throw new ApiError('invalid_request', `unknown form field ${issue.keys.join(', ')}; send file, and optionally title and kind`, issue.keys[0]);
    }
    throw fromZodError(parsed.error);
  }
  return parsed.data;
}

async function undo(files: FileIngestor, agentId: string, ids: readonly string[]): Promise<void> {
  for (const id of ids) await files.remove(agentId, id).catch(() => {});
}

/** The base name the client sent, without a path, control characters or lone surrogates. */
function cleanName(name: string): string {
  const base = stripUnsafeText(name.split(/[\\/]/).at(-1) ?? '');
  return [...base].filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f).join('').trim().slice(0, 255);
}
