/**
 * The export (Art. 20) and access report (Art. 15) as documents: plain data in, JSON and CSV out. The access report is the
 * export plus what Art. 15(1) asks to be told: purposes, recipients, retention, where each field came from, and the rights.
 */
export interface ExportInput {
  readonly requestId: string;
  readonly kind: 'export' | 'access';
  readonly generatedAt: string;
  readonly subjectId: string;
  /** Store id → what it holds on the subject (already decrypted, with internal keys removed). */
  readonly data: Readonly<Record<string, unknown>>;
  /** Access only. */
  readonly context?: {
    readonly purposes: readonly unknown[];
    readonly stores: Readonly<Record<string, { description: string; retention: string }>>;
    readonly rights: readonly string[];
  };
}

/** The parts of an account record the subject gets in an export or access report (the profile comes decrypted, separately). */
export interface AccountFacts {
  readonly roles: readonly string[];
  readonly passwordHash?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastActiveAt?: string;
  readonly inactivityNoticeAt?: string;
  readonly inactivityErasureAt?: string;
  readonly legalHold?: { readonly reason: string; readonly at: string };
}

/**
 * What the account section says beyond the profile: roles, whether a password is set (never its hash), and the retention
 * state, which concerns the subject as much as the profile does (Art. 15(1)(d), Art. 4(1)): the last activity that starts
 * the inactivity period, the inactivity notice and the erasure date it announced, and a legal hold with its reason.
 */
export function accountFacts(user: AccountFacts) {
  return {
    roles: user.roles,
    hasPassword: user.passwordHash !== undefined,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    lastActiveAt: user.lastActiveAt ?? null,
    inactivityNotice: user.inactivityNoticeAt ? { noticeAt: user.inactivityNoticeAt, erasureFrom: user.inactivityErasureAt ?? null } : null,
    legalHold: user.legalHold ? { reason: user.legalHold.reason, at: user.legalHold.at } : null,
  };
}

export function exportDocument(input: ExportInput) {
  return {
    format: 'forget-me-not/export@1',
    kind: input.kind,
    requestId: input.requestId,
    generatedAt: input.generatedAt,
    subjectId: input.subjectId,
    data: input.data,
    ...(input.context ? { about: input.context } : {}),
  };
}

/** One row per leaf value: `path,value`, RFC 4180 quoting. Flat, so any spreadsheet can open it. */
export function toCsv(document: unknown): string {
  const rows: [string, string][] = [];
  const walk = (value: unknown, path: string) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      if (value.length === 0) rows.push([path, '']);
      value.forEach((v, i) => walk(v, `${path}[${i}]`));
    } else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, path ? `${path}.${k}` : k);
    } else {
      rows.push([path, String(value)]);
    }
  };
  walk(document, '');
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return ['path,value', ...rows.map(([p, v]) => `${quote(p)},${quote(v)}`)].join('\r\n') + '\r\n';
}

export const SUBJECT_RIGHTS = [
  'Access your data and how it is used (Art. 15): POST /v1/me/requests {"type":"access"}.',
  'Correct your data (Art. 16): PATCH /v1/me, or a rectification request.',
  'Erase your data (Art. 17): POST /v1/me/requests {"type":"erasure"}.',
  'Restrict processing (Art. 18): POST /v1/me/restriction.',
  'Take your data elsewhere (Art. 20): POST /v1/me/requests {"type":"export"}.',
  'Object to processing based on legitimate interest (Art. 21): POST /v1/me/objections/{purpose}.',
  'Withdraw consent at any time (Art. 7(3)): PUT /v1/me/consents/{purpose} {"granted":false}.',
  'Complain to a supervisory authority (Art. 77).',
];
