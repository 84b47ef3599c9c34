import { adminRequestRoute } from './admin-request-route';

export const approveRequestRoute = adminRequestRoute('approveRequest', 'approve', 'approve-request', {
  summary: 'Approve a manual (or failed) request: queue it for the workers.',
  description:
    'Queues a manual or failed access, export or erasure request for the rights worker. Rectification has no worker: it is completed by hand.',
}, { enqueues: true, reauthentication: true });
