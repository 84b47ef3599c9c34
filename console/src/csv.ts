/**
 * CSV of what a screen shows (RFC 4180: comma-separated, CRLF, fields quoted when they hold a comma, quote or line
 * break), built in the browser: the officer downloads exactly the rows and columns on screen, nothing more.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (value: string) => {
    // a leading =, +, - or @ would run as a formula in a spreadsheet (CSV injection): prefixed with a quote
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Hands a text to the browser as a file download (a blob URL: nothing leaves the page). */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
