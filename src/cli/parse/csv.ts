// One record of Go's encoding/csv (Reader.Read with default settings): how docker splits a
// --mount value. Quotes protect commas (`"src=/a,b"`), `""` is a literal quote.
import { badValue } from './flag-error.js';

export function readCsvRecord(input: string): string[] {
  if (input === '') throw badValue('EOF');
  const line = input.split('\n')[0].replace(/\r$/, '');
  const fields: string[] = [];
  let i = 0;
  const col = (pos: number) => Buffer.byteLength(line.slice(0, pos)) + 1;
  for (;;) {
    if (line[i] !== '"') {
      const comma = line.indexOf(',', i);
      const field = comma < 0 ? line.slice(i) : line.slice(i, comma);
      const q = field.indexOf('"');
      if (q >= 0) throw badValue(`parse error on line 1, column ${col(i + q)}: bare " in non-quoted-field`);
      fields.push(field);
      if (comma < 0) return fields;
      i = comma + 1;
      continue;
    }
    // quoted field
    let field = '';
    i++;
    for (;;) {
      const q = line.indexOf('"', i);
      if (q < 0) throw badValue(`parse error on line 1, column ${col(line.length)}: extraneous or missing " in quoted-field`);
      field += line.slice(i, q);
      i = q + 1;
      if (line[i] === '"') {
        field += '"';
        i++;
        continue;
      }
      if (i >= line.length) {
        fields.push(field);
        return fields;
      }
      if (line[i] === ',') {
        fields.push(field);
        i++;
        break;
      }
      throw badValue(`parse error on line 1, column ${col(i)}: extraneous or missing " in quoted-field`);
    }
  }
}
