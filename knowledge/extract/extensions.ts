/**
 * The file names we accept: light on purpose (no parser is loaded), so the command line and the API's
 * main thread can name and check files without loading what reads them.
 */
import type { FileType } from './types.js';

/** Extensions we accept and the family each names. */
export const EXTENSIONS: Record<string, FileType> = {
  docx: 'docx', pptx: 'pptx', xlsx: 'xlsx', xls: 'xls', pdf: 'pdf', csv: 'csv', json: 'json', xml: 'xml',
  html: 'html', htm: 'html', xhtml: 'html', md: 'markdown', markdown: 'markdown', rst: 'rst',
  txt: 'text', text: 'text', cfg: 'config', conf: 'config',
  mp4: 'video', mov: 'video', webm: 'video', avi: 'video', mpg: 'video', mpeg: 'video',
};

export function extensionOf(name: string): string {
  const m = /\.([a-z0-9]+)$/i.exec(name.trim());
  return m ? m[1]!.toLowerCase() : '';
}

export function supportedList(): string {
  return '.docx .pptx .pdf .csv .json .xml .xls .xlsx .html .htm .xhtml .md .rst .txt .text .cfg .conf, or a video with captions (.mp4 .mov .webm .avi .mpg .mpeg)';
}
