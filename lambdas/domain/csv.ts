/**
 * One CSV field (RFC 4180) that is also safe to open in a spreadsheet: exports (the audit search, incident records) are
 * opened by people in Excel or LibreOffice, where a cell starting with =, +, - or @ (or a tab or carriage return) runs as a
 * formula. Such text gets a leading apostrophe; a plain number (a negative count of minutes) stays a number.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
