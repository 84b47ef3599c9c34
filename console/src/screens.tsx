/**
 * The signed-in console's screens and the navigation between them. The screen is named by the URL's fragment
 * (`#/requests/<id>`, `#/subjects/<id>`, `#/audit?subjectId=…`), so the browser's back button and a copied link work, and nothing about a
 * subject reaches the server's access logs: a fragment is never sent.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { AuditSearch } from './audit-search';
import { DataMapScreen, mapTargetOf } from './data-map';
import { ConsentInsight, ConsentReceiptView } from './consent-insight';
import { OperationsScreen } from './operations';
import { IncidentsScreen } from './incidents';
import { RequestDetail } from './request-detail';
import { SubjectScreen } from './subject-view';

export type Screen =
  | { readonly name: 'inbox' }
  | { readonly name: 'request'; readonly requestId: string }
  | { readonly name: 'subject'; readonly subjectId?: string }
  | { readonly name: 'audit'; readonly query: URLSearchParams }
  | { readonly name: 'map'; readonly target?: ReturnType<typeof mapTargetOf> }
  | { readonly name: 'consent'; readonly receipt?: { readonly subjectId: string; readonly purpose: string } }
  | { readonly name: 'operations' }
  | { readonly name: 'incidents'; readonly incidentId?: string };

/** The screen a fragment names; anything unknown is the inbox. */
export function screenOf(hash: string): Screen {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'requests' && parts[1] && /^[0-9a-f-]{36}$/i.test(parts[1])) return { name: 'request', requestId: parts[1] };
  if (parts[0] === 'subjects') return { name: 'subject', subjectId: parts[1] ? decodeURIComponent(parts[1]) : undefined };
  if (parts[0] === 'audit') return { name: 'audit', query: new URLSearchParams(query) };
  if (parts[0] === 'map') return { name: 'map', target: mapTargetOf(parts) };
  if (parts[0] === 'consent') {
    const receipt = parts[1] === 'receipt' && parts[2] && parts[3] ? { subjectId: decodeURIComponent(parts[2]), purpose: decodeURIComponent(parts[3]) } : undefined;
    return { name: 'consent', receipt };
  }
  if (parts[0] === 'operations') return { name: 'operations' };
  if (parts[0] === 'incidents') return { name: 'incidents', incidentId: parts[1] && /^[0-9a-f-]{36}$/i.test(parts[1]) ? parts[1] : undefined };
  return { name: 'inbox' };
}

function useFragment(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

/** The navigation bar and the current screen; the inbox is the shell's own. */
export function Screens({ inbox }: { inbox: ComponentChildren }) {
  const hash = useFragment();
  const screen = screenOf(hash);
  // a new screen takes the focus to its heading, so keyboard and screen-reader users start at its top
  useEffect(() => document.querySelector<HTMLElement>('main h1')?.focus(), [hash]);
  const link = (href: string, name: Screen['name'], text: string) => (
    <li>
      <a href={href} aria-current={screen.name === name ? 'page' : undefined}>
        {text}
      </a>
    </li>
  );
  return (
    <>
      <nav aria-label="Console">
        <ul class="nav">
          {link('#/', 'inbox', 'Inbox')}
          {link('#/subjects', 'subject', 'Subjects')}
          {link('#/audit', 'audit', 'Audit trail')}
          {link('#/map', 'map', 'Data map')}
          {link('#/consent', 'consent', 'Consent insight')}
          {link('#/operations', 'operations', 'Operations')}
          {link('#/incidents', 'incidents', 'Incidents')}
        </ul>
      </nav>
      {screen.name === 'request' ? (
        <RequestDetail key={screen.requestId} requestId={screen.requestId} />
      ) : screen.name === 'subject' ? (
        <SubjectScreen key={screen.subjectId ?? ''} subjectId={screen.subjectId} />
      ) : screen.name === 'map' ? (
        <DataMapScreen key={hash} target={screen.target} />
      ) : screen.name === 'audit' ? (
        <AuditSearch key={hash} initial={screen.query} />
      ) : screen.name === 'consent' ? (
        screen.receipt ? <ConsentReceiptView key={hash} {...screen.receipt} /> : <ConsentInsight />
      ) : screen.name === 'operations' ? (
        <OperationsScreen />
      ) : screen.name === 'incidents' ? (
        <IncidentsScreen key={screen.incidentId ?? ''} incidentId={screen.incidentId} />
      ) : (
        inbox
      )}
    </>
  );
}
