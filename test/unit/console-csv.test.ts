/** The inbox's CSV (console/src/csv.ts): RFC 4180 quoting, CRLF lines, and no formula a spreadsheet would run. */
import { toCsv } from '../../console/src/csv';

describe('toCsv', () => {
  it('writes a header and rows, CRLF-separated, quoting only what needs it', () => {
    expect(toCsv(['id', 'note'], [['a1', 'plain'], ['a2', 'with, comma'], ['a3', 'say "hi"\nthen go']])).toBe(
      'id,note\r\na1,plain\r\na2,"with, comma"\r\na3,"say ""hi""\nthen go"\r\n',
    );
  });

  it('neutralises cells a spreadsheet would read as a formula (CSV injection)', () => {
    expect(toCsv(['x'], [['=HYPERLINK("http://evil")'], ['+1'], ['-2'], ['@SUM(A1)'], ['2026-01-31']])).toBe(
      'x\r\n"\'=HYPERLINK(""http://evil"")"\r\n\'+1\r\n\'-2\r\n\'@SUM(A1)\r\n2026-01-31\r\n',
    );
  });
});
