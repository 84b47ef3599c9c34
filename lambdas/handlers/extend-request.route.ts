import { adminRequestRoute } from './admin-request-route';
import { extendBody } from './rights.schema';

export const extendRequestRoute = adminRequestRoute('extendRequest', 'extend', 'extend-request', {
  summary: 'Extend the deadline once, by one or two months, with a reason the subject sees (Art. 12(3)).',
  description:
    'Extends the deadline once by one or two further months, for complex or numerous requests (Art. 12(3)), with a reason the subject sees. Erasure of the subject removes the reason from the kept record.',
}, { body: extendBody });
