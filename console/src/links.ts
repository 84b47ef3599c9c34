/** Links between screens: the fragment names the screen (see screens.tsx), so nothing about a subject reaches the server. */
export const subjectHref = (subjectId: string) => `#/subjects/${encodeURIComponent(subjectId)}`;
export const auditHref = (query: Record<string, string>) => `#/audit?${new URLSearchParams(query).toString()}`;
export const requestHref = (requestId: string) => `#/requests/${encodeURIComponent(requestId)}`;
