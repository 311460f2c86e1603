/**
 * Spreadsheets (.xlsx, .xls through SheetJS) and CSV. Each sheet is a heading and a location; rows are
 * labelled with their column names and grouped into 'sheet Orders, rows 2–14' locations, so a cited
 * number always comes with what it is and where it stands. Values are read as displayed (formatted).
 */
import * as XLSX from '@e965/xlsx';
import type { Block } from '../blocks.js';
import { splitHeader, tableBlocks } from './structure.js';
import { ExtractError } from './types.js';

export function extractWorkbook(bytes: Uint8Array, name: string): { title?: string; blocks: Block[] } {
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(bytes, { type: 'buffer', cellHTML: false, cellFormula: false, bookVBA: false, dateNF: 'yyyy-mm-dd', WTF: false });
  } catch (err) {
    const message = (err as Error).message;
    if (/password|encrypt/i.test(message)) {
      throw new ExtractError('encrypted', `${name} is password-protected; remove the password and upload it again`);
    }
    throw new ExtractError('corrupt', `${name} is a damaged workbook (${message}); save it again and re-upload`);
  }
  const blocks: Block[] = [];
  for (const sheetName of wb.SheetNames) {
    const sheet = wb.Sheets[sheetName];
    if (!sheet) continue;
    const rows = (XLSX.utils.sheet_to_json(sheet, { header: 1, raw: false, defval: '', blankrows: false }) as unknown[][])
      .map((r) => r.map((v) => String(v ?? '')));
    if (rows.every((r) => r.every((c) => !c.trim()))) continue;
    // sheet_to_json starts at the used range; spreadsheet row numbers count from its top.
    const top = XLSX.utils.decode_range(sheet['!ref'] ?? 'A1').s.r + 1;
    const { columns, body, headerRows } = splitHeader(rows);
    blocks.push({ kind: 'heading', level: 1, text: sheetName });
    blocks.push(...tableBlocks({ place: `sheet ${sheetName}`, firstRow: top + headerRows, columns, rows: body }));
  }
  const title = wb.Props?.Title?.trim();
  return { ...(title ? { title } : {}), blocks };
}

export function extractCsv(text: string, name: string): Block[] {
  const rows = parseCsv(text, delimiterOf(text, name));
  const { columns, body, headerRows } = splitHeader(rows);
  return tableBlocks({ place: '', firstRow: 1 + headerRows, columns, rows: body });
}

function delimiterOf(text: string, name: string): string {
  if (/\.tsv$/i.test(name)) return '\t';
  const sample = text.split(/\r?\n/).slice(0, 10);
  let best = ',';
  let bestScore = 0;
  for (const d of [',', ';', '\t', '|']) {
    const counts = sample.map((l) => l.split(d).length - 1).filter((c) => c > 0);
    const consistent = counts.length > 0 && counts.every((c) => c === counts[0]) ? 2 : 1;
    const score = counts.length * consistent;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

/** RFC 4180: quoted fields may hold delimiters, doubled quotes and newlines. Never throws. */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim()));
}
