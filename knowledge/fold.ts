/** Lower case without diacritics, Nordic and German letters spelt out: "Größe" and "groesse" meet at "grosse". */
export function fold(text: string): string {
  return text.normalize('NFC').toLowerCase()
    .replace(/æ/g, 'ae').replace(/ø/g, 'o').replace(/ß/g, 'ss')
    .normalize('NFD').replace(/\p{M}+/gu, '');
}
