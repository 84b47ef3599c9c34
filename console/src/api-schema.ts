// Generated from docs/openapi.json by scripts/generate-console-client.ts (`npm run openapi`). Do not edit.
/* eslint-disable */
export interface paths {
    "/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness: answers when the API and its function are up. Touches no data.
         * @description For load balancers and uptime checks: answers 200 with the service name, stage and server time while the function runs. Reads no store and needs no session.
         */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This API described as OpenAPI 3.1, generated from the route table.
         * @description Serves the OpenAPI 3.1 document generated from the route table that also builds the deployed API, the local server and their CORS settings. Each operation carries its personal-data declaration (`x-fmn-personal-data`) and purpose (`x-fmn-purpose`).
         */
        get: operations["openapi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register: creates the account and its first session. Optional purposes are never pre-ticked.
         * @description Creates a subject: a random subject id, the profile encrypted under a new per-subject data key, a blind index of the email and a first session. Purposes ticked in `consents` are recorded in the consent ledger (Art. 7(1)) with method `signup`; nothing optional is granted by default (Art. 25(2)).
         */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My sessions: when created and last used, and a coarse device label. No IP addresses are stored.
         * @description The caller's live sessions, so one they do not recognise can be spotted and ended: creation and last-use times, expiry and a coarse device label. Token hashes are never returned.
         */
        get: operations["listSessions"];
        put?: never;
        /**
         * Log in with email and password. Errors and timing do not reveal whether the email is registered.
         * @description Checks the password against its scrypt hash and opens a session; the token is returned once and stored only as its SHA-256. Failures are throttled per account and per client address (an HMAC of it, never the address); the session's device label comes from `User-Agent`, which is not stored. Accounts with the admin role also need `code` (TOTP, RFC 6238, or a single-use recovery code); a missing or wrong code answers and counts like a wrong password.
         */
        post: operations["login"];
        /**
         * Log out everywhere: ends every session of mine.
         * @description Deletes every session of the caller, this one included, for example after losing a device. The deployed gateway caches authorizer answers for up to 60 seconds.
         */
        delete: operations["logoutEverywhere"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/oidc": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log in with an OpenID Connect ID token from a configured provider; creates or links the account.
         * @description Verifies the ID token's signature, issuer, audience and expiry against the deployment's provider allow-list, then logs into the linked account, links a verified email to an existing account, or creates one from the claims the profile needs (Art. 5(1)(c)). Opens a session like password login.
         */
        post: operations["loginOidc"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Log out: ends this session.
         * @description Deletes the session item of the token that made this call. The deployed gateway caches authorizer answers for up to 60 seconds.
         */
        delete: operations["logout"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/current/reauthentication": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm it is you (password and second factor again) before destructive admin actions, for 5 minutes.
         * @description Approving or completing a request and lifting a legal hold answer 403 `reauthentication-required` unless this session gave the password and a second-factor code (at login or here) within the last 5 minutes. A wrong password or code answers 403 `reauthentication-failed` and counts on the login throttle (per account and per client address), so guessing here is no faster than at login. Audited as an update of the session, without the password or code.
         */
        post: operations["reauthenticate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My account: every profile field, and where each came from.
         * @description Access to the account itself (Art. 15): decrypts the profile with the subject's data key and returns every field with its source (`user` or `provider:<name>`). Answers 410 once the data is erased.
         */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Correct my data (Art. 16): any field, including provider-sourced ones. Email and password changes need the current password.
         * @description Rectification (Art. 16). A new email moves the login identifier and needs the current password; a new password ends every other session. Fields a provider supplied can be corrected too, and a later provider login does not overwrite the correction.
         */
        patch: operations["patchMe"];
        trace?: never;
    };
    "/v1/me/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who accessed my data, when, for what purpose, and which fields (never values). Newest first.
         * @description Transparency about processing (Art. 15(1)): the audit entries about the caller, each with action, actor role, purpose, data categories and field names, never values. Paginated.
         */
        get: operations["myAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search the audit trail by subject (id or pseudonym), actor, action and time range; newest first, paginated. Without a subject or actor, the range may span at most 31 days.
         * @description Accountability (Art. 5(2)): lets an administrator answer who touched whose data, when and why. A subject id is turned into its pseudonym before the search; entries name pseudonyms and fields, never values.
         */
        get: operations["adminAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/purposes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The processing purposes: lawful basis, policy text with its version and SHA-256, data, retention, recipients.
         * @description The information owed to data subjects (Arts. 13 and 14) per purpose: lawful basis, policy text with version and SHA-256, data categories, retention and recipients. Public, so it can be shown before sign-up.
         */
        get: operations["purposes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/consents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My consent state per purpose, including "needs re-consent" and lapsed consents, and whether processing is restricted.
         * @description The caller's consent state per purpose, read from the ledger's projection (granted, withdrawn, lapsed, needs re-consent after a policy change, objected, restricted) and whether processing for it may happen now.
         */
        get: operations["myConsents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/consents/{purpose}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Grant or withdraw consent to a purpose: the same single call either way. Recorded in an append-only ledger.
         * @description Grants or withdraws consent, as easily one way as the other (Art. 7(3)). The decision is appended to the ledger with the policy version and hash, the time and the client id, and the projection the consent gate reads changes in the same transaction.
         */
        put: operations["putConsent"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/consents/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every consent, objection and restriction decision I made, newest first.
         * @description Proof of consent (Art. 7(1)) as the subject sees it: every grant, withdrawal, objection and restriction in the ledger, with the policy version and hash each was given on.
         */
        get: operations["consentHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/restriction": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Restrict processing (Art. 18): everything stops except storage, my rights and what the law requires.
         * @description Restriction of processing (Art. 18), recorded in the consent ledger: from the next request the consent gate stops every purpose that does not continue under a restriction (storage, the subject's rights, legal obligations). Retention stops too, as under a legal hold: no inactivity notice, and a retention erasure filed but not started is rejected.
         */
        post: operations["restrict"];
        /**
         * Lift my restriction of processing.
         * @description Ends a restriction (Art. 18(3)); each purpose's processing then follows its own consent or objection state again, and retention applies again, starting with a fresh inactivity notice.
         */
        delete: operations["liftRestriction"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/objections/{purpose}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Object (Art. 21) to processing for a legitimate-interest purpose; it stops from the next request.
         * @description Objection (Art. 21) to a purpose based on legitimate interest, recorded in the consent ledger: the consent gate refuses or drops processing for it from the next request.
         */
        post: operations["object"];
        /**
         * Withdraw my objection to a legitimate-interest purpose.
         * @description Withdraws an objection; processing on the legitimate-interest basis may resume. Recorded in the consent ledger like every decision.
         */
        delete: operations["withdrawObjection"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Usage events: stored (pseudonymously, 90 days) only while I grant `analytics`; otherwise 204 and nothing is stored.
         * @description A batch of usage events. Unless `analytics` is granted (Art. 6(1)(a)) the consent gate answers 204 and stores nothing; stored events are keyed by an HMAC pseudonym, hold no free text and expire after 90 days.
         */
        post: operations["analyticsEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/newsletter": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Subscribe to or leave the newsletter; needs consent to `marketing-email`.
         * @description Sets the newsletter preference. Behind the consent gate of `marketing-email` (Art. 6(1)(a)): without that consent the answer is 403 and nothing changes.
         */
        put: operations["newsletter"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My rights requests, newest first, with their state history, due dates and receipts.
         * @description The caller's requests (Art. 12): each with its state history, due date, any extension with its reason, and for a completed erasure the receipt.
         */
        get: operations["myRequests"];
        put?: never;
        /**
         * Exercise a right: access, export, rectification or erasure. Answers 202 with the request, due one calendar month later. Access, export and erasure need a login within the re-verification window, or the password in the body.
         * @description Files a data-subject request: access (Art. 15), export (Art. 20), rectification (Art. 16) or erasure (Art. 17), due one calendar month after receipt (Art. 12(3)). Automatic types are queued for the rights worker; erasure also answers with a receipt token, shown once.
         */
        post: operations["createRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/requests/{requestId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One of my rights requests.
         * @description One of the caller's requests, with its state history and due date. Another subject's request answers 404, so ids cannot be probed.
         */
        get: operations["myRequest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/requests/{requestId}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A presigned link, valid for 5 minutes, to the export (JSON or CSV) of a completed export or access request, and to its recipients' parts.
         * @description Data portability (Art. 20): a presigned link to the export in a structured, machine-readable format (JSON or CSV). Export files are deleted 7 days after they are written.
         */
        get: operations["downloadExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/erasure-receipts/{requestId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The certificate of an erasure, for the holder of its receipt token (X-Receipt-Token). Holds no personal data.
         * @description Proof of erasure (Arts. 17, 19 and 5(2)): the step taken in each store, the verification that nothing is left, when backups age out, and per recipient told what it answered, when and with which counts. Readable once this backend's stores are done, while recipients may still be answering (`status`). The account is gone, so the receipt token given with the request (`X-Receipt-Token`) stands in for a session.
         */
        get: operations["erasureReceipt"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Open rights requests (or those in a status), oldest due first; `overdue=true` lists those past their due date.
         * @description The queue of data-subject requests for whoever answers them: by status and type, or overdue, so the one-month deadline (Art. 12(3)) is kept. Each request says whether its subject's account stands under a legal hold.
         */
        get: operations["adminRequests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/requests/{requestId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One rights request, in any state, with its full history (for the console's request detail).
         * @description The request as the subject sees it plus its subject id: status changes with their notes and evidence, the extension, and an erasure's receipt. Audited as a read of the subject's request.
         */
        get: operations["adminRequest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/requests/{requestId}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A presigned link, valid for 5 minutes, to the export of a completed export or access request, for an admin. Audited.
         * @description For an officer who must check or hand over an export (a subject who cannot download it, a regulator's question). The download is recorded on the subject's audit trail as a read of the export by the admin.
         */
        get: operations["adminDownloadExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/requests/{requestId}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve a manual (or failed) request: queue it for the workers.
         * @description Queues a manual or failed access, export or erasure request for the rights worker. Rectification has no worker: it is completed by hand.
         */
        post: operations["approveRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/requests/{requestId}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject a request with a reason the subject sees.
         * @description Refuses a request (Art. 12(4)) with a reason the subject sees. The reason is free text, so erasure of the subject removes it from the kept record.
         */
        post: operations["rejectRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/requests/{requestId}/extend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Extend the deadline once, by one or two months, with a reason the subject sees (Art. 12(3)).
         * @description Extends the deadline once by one or two further months, for complex or numerous requests (Art. 12(3)), with a reason the subject sees. Erasure of the subject removes the reason from the kept record.
         */
        post: operations["extendRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/requests/{requestId}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Complete a request handled by hand, with a note the subject sees and evidence of what was done where.
         * @description Completes a request handled by hand, typically a rectification, with a note the subject sees and the evidence (required): one entry per system, with what was done there. Erasure of the subject replaces the note and the evidence's free text in the kept record; the systems and actions stay as proof. An erasure or export awaiting its recipients can be completed without them only once every recipient still owing an answer is past its deadline (`answerBy`; 409 recipients-not-overdue before): the note says why.
         */
        post: operations["completeRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/subjects/lookup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Find a subject id by email (through the blind index). The email travels in the body, never in a URL; audited without it.
         * @description For an officer answering a request that came by letter or email. The email is normalised and turned into its blind index (an HMAC under the pseudonym key), which is looked up; the email itself is not stored, logged or written to the audit trail. A POST, so the email stays out of URLs and access logs. A match is recorded on the subject's audit trail; a miss is recorded as a lookup about no one.
         */
        post: operations["findSubject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/recipients/{recipientId}/acks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A recipient acknowledges an erasure or export: done (with counts), nothing found, or failed (with a reason).
         * @description Arts. 17(2) and 19: a recipient told of an erasure or export answers here, signed the Standard Webhooks way with its own secret (`fmn recipients secret <id>`). The request completes when every recipient it told has acknowledged. For an export, `done` needs the recipient’s part uploaded first: the ack without it answers 409 with a presigned PUT URL. Forged, stale (over 5 minutes), replayed or cross-recipient acks are refused, audited and change nothing.
         */
        post: operations["recipientAck"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/recipients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every declared recipient and how it answers: ok, overdue or failing, with the requests waiting for it.
         * @description Art. 19 in operation: which recipient holds up erasures and exports, and which one is failing (a failed ack, or webhook messages in its DLQ). Find the requests with GET /v1/admin/requests?status=awaiting_recipients.
         */
        get: operations["adminRecipients"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/operations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Operations health: queues and DLQs, overdue requests, the jobs' last runs, the recipients, the alarms.
         * @description Every queue's and DLQ's counters (never a message), the overdue requests (as the overdue job counts them), each scheduled job's last run and outcome, the recipients' state (as GET /v1/admin/recipients) and the stage's alarms (on AWS; the local cloud has no CloudWatch and says so). Move a DLQ back with POST /v1/admin/operations/queues/{queue}/redrive.
         */
        get: operations["adminOperations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/operations/queues/{queue}/redrive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move messages from a dead-letter queue back to its queue (re-authentication first).
         * @description Sends up to `max` messages (default 10, at most 100 per call) from the DLQ back to the queue they failed on, oldest first, each sent before it is deleted (a failure in between repeats a message, never loses one). Fix the cause first: a job that failed five times fails again. Answers with the count actually moved; audited.
         */
        post: operations["redriveQueue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/subjects/{subjectId}/legal-hold": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Place a legal hold on an account, with a reason: the retention job neither notifies nor erases it, and a retention erasure filed but not yet started is rejected. Audited.
         * @description Exception to storage limitation for legal claims (Art. 17(3)(e)): while the hold stands the retention job neither notifies nor erases the account. The reason is stored on the account only, never logged or audited, and is deleted with it.
         */
        put: operations["setLegalHold"];
        post?: never;
        /**
         * Lift a legal hold: retention applies again (a fresh notice comes first if the account is inactive). Audited.
         * @description Ends the hold: inactivity counts as before, and an inactive account is notified again before any retention erasure.
         */
        delete: operations["liftLegalHold"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/subjects/{subjectId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One subject for the privacy console: consent per purpose with policy versions, objections and restriction, legal hold, retention state and requests. Profile values stay masked. Audited.
         * @description What an officer needs to answer for a subject (Arts. 7(1), 12, 17(3)(e), 18, 21) without seeing their profile: states, dates and policy versions only. A value is shown only through the reveal route, one field at a time.
         */
        get: operations["adminSubject"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/subjects/{subjectId}/consents/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A subject's consent, objection and restriction decisions, newest first, with policy versions. Audited.
         * @description Proof of consent (Art. 7(1)) as an officer must show it: every grant, withdrawal, objection and restriction in the subject's ledger, with the policy version and hash each was given on, the method and the app.
         */
        get: operations["adminConsentHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/subjects/{subjectId}/consents/{purpose}/receipt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Proof of consent: the subject's decision in force on a purpose, its ledger event, policy version and hash. Audited.
         * @description Art. 7(1): the controller must be able to show that the subject consented. The decision the projection holds, the event it is in the append-only ledger (id and position), the policy version and the hash of its text, method, app, time and expiry; with the text itself when it is still the one shown today. The console prints it as a receipt.
         */
        get: operations["adminConsentReceipt"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/consent-stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Consent figures per purpose and policy version (granted, lapsing today, expired, needing re-consent, withdrawn, objected), subjects restricted, and decisions per day over a range of at most 366 days.
         * @description From sharded counters that every consent decision and every erasure moves in its own transaction: exact, and read from a fixed number of small partitions whatever the number of subjects (no Scan). Names no subject.
         */
        get: operations["adminConsentStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/subjects/{subjectId}/reveal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reveal one masked profile field of a subject, for a stated purpose; the reveal is audited (field and purpose, never the value).
         * @description Data minimisation inside the console (Arts. 5(1)(c), 25, 32): an officer sees a value only when a task needs it, one field at a time, and says why. The audit entry names the field and the purpose, so the subject (GET /v1/me/audit) and a supervisory authority can see each reveal; the value itself is in no entry and no log.
         */
        post: operations["revealProfileField"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/audit/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export every entry an audit search finds (at most 4000), as JSON or CSV, with the chain hashes, for a supervisory authority. Audited.
         * @description Accountability towards a supervisory authority (Arts. 5(2), 31 and 58(1)(a)): the same filters as the search, the whole result set in one file, each entry with the hash of its predecessor and its own so the recipient can check the chain. A larger set is refused rather than cut short. The export is itself recorded on the trail.
         */
        get: operations["adminAuditExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/subjects/{subjectId}/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Verify a subject's audit chain end to end (as `fmn audit verify --subject-id` does): intact, or the first break.
         * @description Integrity of the records that prove accountability (Arts. 5(1)(f), 5(2)): re-hashes every entry of the subject's chain, checks each link and the chain head, and reports the first entry that was edited, removed or reordered.
         */
        get: operations["verifySubjectAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/incidents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List recorded breaches, newest awareness first, each with its 72-hour clock and checklists. Audited.
         * @description The register of breaches the controller keeps (Art. 33(5)), with where each notice stands. One Query of a sparse index; a handful of incidents a year, so no paging.
         */
        get: operations["adminIncidents"];
        put?: never;
        /**
         * Record a personal-data breach: awareness time, affected stores, time window, description and nature. Audited.
         * @description Art. 33(5) documentation starts here; the 72 hours to the supervisory authority run from awareAt (Art. 33(1)). The record holds no personal data beyond pseudonyms: text shaped like an email address or a phone number is refused.
         */
        post: operations["createIncident"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/incidents/{incidentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One breach: the record, its 72-hour clock, the scope (categories, subject count, accesses by origin) and checklists. Audited.
         * @description What the Art. 33(3) notice and the Art. 34 communication need, and which points are still missing. The scope's pseudonyms are in the export only.
         */
        get: operations["adminIncident"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Fill in a breach's notices and status: Art. 33(3) points, notification times, Art. 34 communication or exemption. Audited.
         * @description Notices merge field by field, so information can be given in phases (Art. 33(4)). A notice to the authority after the 72 hours must carry the reasons for the delay (Art. 33(1)). The audit entry names the fields changed, never their text.
         */
        patch: operations["updateIncident"];
        trace?: never;
    };
    "/v1/admin/incidents/{incidentId}/scope": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Compute the breach's scope in the background (categories, subjects by pseudonym, accesses in the window); poll the incident. Audited.
         * @description The scope of each affected store is the one `fmn breach-scope` computes (Art. 33(3)(a)). It scans a store, so it runs as a job of the rights-request worker (DLQ after five tries) and is stored with the incident; starting again supersedes a run still queued.
         */
        post: operations["startIncidentScope"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/incidents/{incidentId}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export a breach record as JSON or CSV, with the scope's pseudonyms, for the supervisory authority. Audited.
         * @description The Art. 33(5) documentation in one file: the record, its clock and checklists, and every audit pseudonym the scope found. The export is itself recorded on the trail.
         */
        get: operations["exportIncident"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Health: {
            /** @enum {string} */
            status: "ok";
            service: string;
            stage: string;
            /** Format: date-time */
            time: string;
        };
        Problem: {
            /** @description URI reference naming the problem type, e.g. /problems/validation-failed. */
            type: string;
            title: string;
            status: number;
            detail?: string;
            /** @description The correlation id of the failed request. */
            instance?: string;
            /** @description For validation problems: which fields failed and why; never the values sent. */
            errors?: {
                path: string;
                message: string;
            }[];
            /** @description For consent-required problems: the purpose that needs consent. */
            purpose?: string;
            /** @description For consent-required problems: not-granted, needs-reconsent, expired, objected or restricted. */
            reason?: string;
            /** @description For export-part-missing: a presigned URL to PUT the recipient's export part (JSON) to. */
            uploadUrl?: string;
            /**
             * @description For export-part-missing: the method of uploadUrl.
             * @enum {string}
             */
            uploadMethod?: "PUT";
            /**
             * Format: date-time
             * @description For export-part-missing: when uploadUrl stops working.
             */
            uploadExpiresAt?: string;
            /** @description For recipients-not-overdue: the recipients still within their deadline, comma-separated. */
            recipients?: string;
        };
        Registration: {
            account: components["schemas"]["Account"];
            session: components["schemas"]["IssuedSession"];
        };
        Account: {
            /** Format: uuid */
            subjectId: string;
            profile: components["schemas"]["Profile"];
            /** @description Where each field came from. */
            sources: {
                [key: string]: string;
            };
            roles: string[];
            hasPassword: boolean;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** @description Present when the account is due for erasure for inactivity; logging in again keeps it. */
            inactivityNotice?: {
                /** Format: date-time */
                noticeAt: string;
                /** Format: date-time */
                erasureAt?: string;
            };
        };
        Profile: {
            email: string;
            displayName: string;
            givenName?: string;
            familyName?: string;
            locale?: string;
            phone?: string;
            postalAddress?: components["schemas"]["PostalAddress"];
        };
        PostalAddress: {
            street: string;
            postalCode: string;
            city: string;
            country: string;
        };
        IssuedSession: {
            /** @description Bearer token; shown once, stored only as a hash. */
            token: string;
            /** Format: date-time */
            expiresAt: string;
            /** Format: date-time */
            idleExpiresAt: string;
        };
        RegisterRequest: {
            /** Format: email */
            email: string;
            displayName: string;
            givenName?: string;
            familyName?: string;
            locale?: string;
            phone?: string;
            postalAddress?: components["schemas"]["PostalAddress"];
            password: string;
            /** @description Consents ticked on the sign-up form: purpose id → true. Nothing is pre-ticked: an absent purpose is not granted. */
            consents?: {
                account?: boolean;
                transparency?: boolean;
                accountability?: boolean;
                "consent-management"?: boolean;
                "marketing-email"?: boolean;
                analytics?: boolean;
                "product-improvement"?: boolean;
            };
        };
        Login: {
            /** Format: uuid */
            subjectId: string;
            session: components["schemas"]["IssuedSession"];
        };
        LoginRequest: {
            /** Format: email */
            email: string;
            password: string;
            /** @description The second factor, required for accounts with the admin role: the 6-digit code of the authenticator app enrolled by `fmn admin create`, or one of its single-use recovery codes. */
            code?: string;
        };
        OidcLogin: {
            /** Format: uuid */
            subjectId: string;
            session: components["schemas"]["IssuedSession"];
            created: boolean;
            linked: boolean;
        };
        OidcLoginRequest: {
            /** @description The ID token (JWT) the identity provider issued to the client. */
            idToken: string;
        };
        SessionList: {
            sessions: components["schemas"]["SessionSummary"][];
        };
        SessionSummary: {
            /** @description Short, non-secret id of the session. */
            id: string;
            deviceLabel: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            lastUsedAt: string;
            /** Format: date-time */
            expiresAt: string;
            current: boolean;
        };
        Reauthentication: {
            /** Format: date-time */
            reauthenticatedAt: string;
            /**
             * Format: date-time
             * @description Destructive admin actions are allowed on this session until then.
             */
            validUntil: string;
        };
        ReauthenticationRequest: {
            password: string;
            /** @description The 6-digit code of the authenticator app, or one of the single-use recovery codes. */
            code: string;
        };
        /** @description Fields to correct; null removes an optional field. */
        ProfileCorrection: {
            /** Format: email */
            email?: string;
            displayName?: string;
            givenName?: string | null;
            familyName?: string | null;
            locale?: string | null;
            phone?: string | null;
            postalAddress?: components["schemas"]["PostalAddress"] | null;
            newPassword?: string;
            currentPassword?: string;
        };
        MyAuditPage: {
            entries: components["schemas"]["MyAuditEntry"][];
            /** @description Pass as `cursor` for the next (older) page. */
            next?: string;
        };
        MyAuditEntry: {
            /** Format: date-time */
            at: string;
            /** @enum {string} */
            action: "read" | "create" | "update" | "delete" | "login" | "logout" | "export" | "erase" | "consent.grant" | "consent.withdraw" | "consent.object" | "consent.unobject" | "restriction.start" | "restriction.end" | "recipient.ack";
            /**
             * @description Who acted on your data.
             * @enum {string}
             */
            actor: "you" | "administrator" | "service" | "another user";
            purpose: string;
            /** @description Categories of data touched. */
            categories: string[];
            /** @description Names of the fields touched; never their values. */
            fields: string[];
            /** @enum {string} */
            outcome: "success" | "failure";
            /** @description The route or worker that acted. */
            origin: string;
        };
        AuditPage: {
            entries: components["schemas"]["AuditEntry"][];
            next?: string;
        };
        AuditEntry: {
            chainId: string;
            seq: number;
            /** Format: uuid */
            entryId: string;
            /** Format: date-time */
            at: string;
            /**
             * Format: date
             * @description The UTC day of `at` (the by-day index partition); part of the hashed content, so an entry can be re-hashed.
             */
            day: string;
            actorId: string;
            /** @enum {string} */
            actorRole: "subject" | "admin" | "system" | "worker";
            /** @enum {string} */
            action: "read" | "create" | "update" | "delete" | "login" | "logout" | "export" | "erase" | "consent.grant" | "consent.withdraw" | "consent.object" | "consent.unobject" | "restriction.start" | "restriction.end" | "recipient.ack";
            subjectPseudonym?: string;
            purpose: string;
            categories: string[];
            fields: string[];
            /** @enum {string} */
            outcome: "success" | "failure";
            correlationId: string;
            origin: string;
            prevHash: string;
            hash: string;
            expiresAt: number;
        };
        PurposeList: {
            purposes: components["schemas"]["Purpose"][];
        };
        Purpose: {
            /** @enum {string} */
            id: "account" | "transparency" | "accountability" | "consent-management" | "marketing-email" | "analytics" | "product-improvement";
            title: string;
            description: string;
            /** @enum {string} */
            lawfulBasis: "consent" | "contract" | "legal-obligation" | "legitimate-interest";
            required: boolean;
            objectable: boolean;
            policy: {
                version: string;
                sha256: string;
                text: string;
            };
            consentValidDays?: number;
            categories: string[];
            retention: string;
            recipients: string[];
            continuesUnderRestriction: boolean;
        };
        ConsentOverview: {
            purposes: components["schemas"]["PurposeConsent"][];
            restriction: {
                restricted: boolean;
                /** Format: date-time */
                since?: string;
            };
        };
        PurposeConsent: {
            /** @enum {string} */
            purpose: "account" | "transparency" | "accountability" | "consent-management" | "marketing-email" | "analytics" | "product-improvement";
            lawfulBasis: string;
            required: boolean;
            /** @description Whether processing for this purpose may happen now. */
            active: boolean;
            /** @enum {string} */
            status: "granted" | "not-granted" | "withdrawn" | "needs-reconsent" | "expired" | "objected" | "restricted" | "not-applicable";
            /** Format: date-time */
            decidedAt?: string;
            method?: string;
            grantedPolicyVersion?: string;
            currentPolicyVersion: string;
            /** Format: date-time */
            validUntil?: string;
        };
        ConsentDecision: {
            granted: boolean;
        };
        ConsentHistory: {
            events: components["schemas"]["ConsentEvent"][];
            next?: string;
        };
        ConsentEvent: {
            /** Format: uuid */
            eventId: string;
            /** @description A purpose id, or `restriction`. */
            topic: string;
            /** @enum {string} */
            action: "grant" | "withdraw" | "object" | "withdraw-objection" | "restrict" | "lift-restriction";
            seq: number;
            policyVersion?: string;
            policyHash?: string;
            /** @enum {string} */
            method: "signup" | "settings" | "api" | "admin-on-behalf";
            /** Format: date-time */
            at: string;
            clientId: string;
            /** Format: date-time */
            validUntil?: string;
        };
        /** @description Usage events. Stored only while the caller grants `analytics`; otherwise accepted and dropped. */
        AnalyticsEvents: {
            events: {
                name: string;
                /** Format: date-time */
                at: string;
                properties?: {
                    [key: string]: number | boolean | string;
                };
            }[];
        };
        Newsletter: {
            subscribed: boolean;
            /** Format: date-time */
            at?: string;
        };
        NewsletterPreference: {
            subscribed: boolean;
        };
        CreatedRightsRequest: {
            /** Format: uuid */
            requestId: string;
            /** @enum {string} */
            type: "access" | "export" | "rectification" | "erasure";
            /** @enum {string} */
            status: "received" | "verified" | "queued" | "in_progress" | "awaiting_recipients" | "completed" | "rejected" | "failed";
            /** @enum {string} */
            mode: "automatic" | "manual";
            /** Format: date-time */
            receivedAt: string;
            /** @description YYYY-MM-DD: the answer is due by the end of this day (UTC). */
            dueAt: string;
            originalDueAt: string;
            extension?: {
                dueAt: string;
                months: number;
                reason: string;
                /** Format: date-time */
                at: string;
            };
            history: {
                /** @enum {string} */
                status: "received" | "verified" | "queued" | "in_progress" | "awaiting_recipients" | "completed" | "rejected" | "failed";
                /** Format: date-time */
                at: string;
                by: string;
                note?: string;
                /** @description On a completion by hand: what was done where. */
                evidence?: {
                    /** @description The system or store, as the officer names it (`CRM`, `billing database`). */
                    where: string;
                    /** @enum {string} */
                    action: "deleted" | "corrected" | "exported" | "sent" | "restricted" | "checked-none-held" | "other";
                    /** @description How, with which reference; replaced at erasure like every admin note. */
                    detail?: string;
                }[];
            }[];
            fields?: string[];
            downloadable: boolean;
            receipt?: components["schemas"]["ErasureReceipt"];
            /** @description Erasure and export: each recipient told (Art. 19) and where its answer stands. The request stays `awaiting_recipients` until every one is acknowledged, or an admin completes it after their deadlines. */
            recipients?: components["schemas"]["RecipientProgress"][];
            /**
             * @description Who filed it, when not you: `retention` for an erasure the retention job filed for an inactive account.
             * @enum {string}
             */
            origin?: "retention";
            /** @description Epoch seconds, once the request is completed or rejected: when this record, kept as proof of the answer, is deleted. */
            expiresAt?: number;
            /** @description Erasure only: shown once; reads the receipt after your account is gone. */
            receiptToken?: string;
        };
        ErasureReceipt: {
            /** Format: uuid */
            requestId: string;
            /** Format: date-time */
            completedAt: string;
            steps: {
                store: string;
                /** @enum {string} */
                action: "deleted" | "pseudonymised" | "kept" | "shredded";
                count: number;
                /** Format: date-time */
                at: string;
            }[];
            verification: {
                ok: boolean;
                storesChecked: string[];
                /** Format: date-time */
                at: string;
            };
            /** Format: date-time */
            backupsAgeOutBy: string;
            note: string;
            /**
             * @description The certificate (GET /v1/erasure-receipts): whether the erasure still waits for a recipient.
             * @enum {string}
             */
            status?: "awaiting_recipients" | "completed";
            /** @description The certificate (GET /v1/erasure-receipts): per recipient told, what it answered, when, with which counts. `completedAt` and `steps` are this backend's own stores. */
            recipients?: components["schemas"]["RecipientProgress"][];
        };
        RecipientProgress: {
            /**
             * @description The recipient id (lambdas/recipients.ts).
             * @enum {string}
             */
            recipient: "app-service" | "email-provider";
            /** @description How the recipient is named to the subject. */
            name: string;
            /**
             * @description delete (erasure) or provide-part (export).
             * @enum {string}
             */
            action: "delete" | "provide-part";
            /**
             * @description pending: told, not answered, within its deadline; acknowledged: answered done or nothing_found; overdue: not acknowledged and past answerBy; failed: answered failed (it may still answer done).
             * @enum {string}
             */
            status: "pending" | "acknowledged" | "overdue" | "failed";
            /**
             * @description What the recipient answered, once it did.
             * @enum {string}
             */
            outcome?: "done" | "nothing_found" | "failed";
            /** @description YYYY-MM-DD: its deadline; overdue from the day after. */
            answerBy: string;
            /** Format: date-time */
            acknowledgedAt?: string;
            /** @description What it deleted or exported, by kind, as it reported. */
            counts?: {
                [key: string]: number;
            };
            /** @description Administrators only, while the request is open: a failed recipient's own words (free text). */
            reason?: string;
        };
        NewRightsRequest: {
            /** @enum {string} */
            type: "access" | "export" | "rectification" | "erasure";
            /** @description Your password, if your last login is older than the re-verification window. */
            password?: string;
            /** @description Rectification: names of the fields you say are wrong (e.g. profile.familyName); never their values. */
            fields?: ("profile.email" | "profile.phone" | "profile.postalAddress" | "profile.displayName" | "profile.givenName" | "profile.familyName" | "profile.locale")[];
        };
        RightsRequestList: {
            requests: components["schemas"]["RightsRequest"][];
        };
        RightsRequest: {
            /** Format: uuid */
            requestId: string;
            /** @enum {string} */
            type: "access" | "export" | "rectification" | "erasure";
            /** @enum {string} */
            status: "received" | "verified" | "queued" | "in_progress" | "awaiting_recipients" | "completed" | "rejected" | "failed";
            /** @enum {string} */
            mode: "automatic" | "manual";
            /** Format: date-time */
            receivedAt: string;
            /** @description YYYY-MM-DD: the answer is due by the end of this day (UTC). */
            dueAt: string;
            originalDueAt: string;
            extension?: {
                dueAt: string;
                months: number;
                reason: string;
                /** Format: date-time */
                at: string;
            };
            history: {
                /** @enum {string} */
                status: "received" | "verified" | "queued" | "in_progress" | "awaiting_recipients" | "completed" | "rejected" | "failed";
                /** Format: date-time */
                at: string;
                by: string;
                note?: string;
                /** @description On a completion by hand: what was done where. */
                evidence?: {
                    /** @description The system or store, as the officer names it (`CRM`, `billing database`). */
                    where: string;
                    /** @enum {string} */
                    action: "deleted" | "corrected" | "exported" | "sent" | "restricted" | "checked-none-held" | "other";
                    /** @description How, with which reference; replaced at erasure like every admin note. */
                    detail?: string;
                }[];
            }[];
            fields?: string[];
            downloadable: boolean;
            receipt?: components["schemas"]["ErasureReceipt"];
            /** @description Erasure and export: each recipient told (Art. 19) and where its answer stands. The request stays `awaiting_recipients` until every one is acknowledged, or an admin completes it after their deadlines. */
            recipients?: components["schemas"]["RecipientProgress"][];
            /**
             * @description Who filed it, when not you: `retention` for an erasure the retention job filed for an inactive account.
             * @enum {string}
             */
            origin?: "retention";
            /** @description Epoch seconds, once the request is completed or rejected: when this record, kept as proof of the answer, is deleted. */
            expiresAt?: number;
        };
        DownloadLink: {
            /** Format: uri */
            url: string;
            /** Format: date-time */
            expiresAt: string;
            /** @enum {string} */
            format: "json" | "csv";
            /** @description The recipients' parts of the export (JSON, as each recipient uploaded it), each with its own link valid as long as `url`. */
            parts?: {
                recipient: string;
                name: string;
                /** Format: uri */
                url: string;
            }[];
        };
        AdminRightsRequestList: {
            requests: components["schemas"]["AdminRightsRequestListItem"][];
        };
        AdminRightsRequestListItem: {
            /** Format: uuid */
            requestId: string;
            /** @enum {string} */
            type: "access" | "export" | "rectification" | "erasure";
            /** @enum {string} */
            status: "received" | "verified" | "queued" | "in_progress" | "awaiting_recipients" | "completed" | "rejected" | "failed";
            /** @enum {string} */
            mode: "automatic" | "manual";
            /** Format: date-time */
            receivedAt: string;
            /** @description YYYY-MM-DD: the answer is due by the end of this day (UTC). */
            dueAt: string;
            originalDueAt: string;
            extension?: {
                dueAt: string;
                months: number;
                reason: string;
                /** Format: date-time */
                at: string;
            };
            history: {
                /** @enum {string} */
                status: "received" | "verified" | "queued" | "in_progress" | "awaiting_recipients" | "completed" | "rejected" | "failed";
                /** Format: date-time */
                at: string;
                by: string;
                note?: string;
                /** @description On a completion by hand: what was done where. */
                evidence?: {
                    /** @description The system or store, as the officer names it (`CRM`, `billing database`). */
                    where: string;
                    /** @enum {string} */
                    action: "deleted" | "corrected" | "exported" | "sent" | "restricted" | "checked-none-held" | "other";
                    /** @description How, with which reference; replaced at erasure like every admin note. */
                    detail?: string;
                }[];
            }[];
            fields?: string[];
            downloadable: boolean;
            receipt?: components["schemas"]["ErasureReceipt"];
            /** @description Erasure and export: each recipient told (Art. 19) and where its answer stands. The request stays `awaiting_recipients` until every one is acknowledged, or an admin completes it after their deadlines. */
            recipients?: components["schemas"]["RecipientProgress"][];
            /**
             * @description Who filed it, when not you: `retention` for an erasure the retention job filed for an inactive account.
             * @enum {string}
             */
            origin?: "retention";
            /** @description Epoch seconds, once the request is completed or rejected: when this record, kept as proof of the answer, is deleted. */
            expiresAt?: number;
            /** @description The subject id, or erased#<pseudonym> after erasure. */
            subjectId: string;
            /** @description The subject's account stands under a legal hold (retention is stopped). */
            legalHold: boolean;
        };
        AdminRightsRequest: {
            /** Format: uuid */
            requestId: string;
            /** @enum {string} */
            type: "access" | "export" | "rectification" | "erasure";
            /** @enum {string} */
            status: "received" | "verified" | "queued" | "in_progress" | "awaiting_recipients" | "completed" | "rejected" | "failed";
            /** @enum {string} */
            mode: "automatic" | "manual";
            /** Format: date-time */
            receivedAt: string;
            /** @description YYYY-MM-DD: the answer is due by the end of this day (UTC). */
            dueAt: string;
            originalDueAt: string;
            extension?: {
                dueAt: string;
                months: number;
                reason: string;
                /** Format: date-time */
                at: string;
            };
            history: {
                /** @enum {string} */
                status: "received" | "verified" | "queued" | "in_progress" | "awaiting_recipients" | "completed" | "rejected" | "failed";
                /** Format: date-time */
                at: string;
                by: string;
                note?: string;
                /** @description On a completion by hand: what was done where. */
                evidence?: {
                    /** @description The system or store, as the officer names it (`CRM`, `billing database`). */
                    where: string;
                    /** @enum {string} */
                    action: "deleted" | "corrected" | "exported" | "sent" | "restricted" | "checked-none-held" | "other";
                    /** @description How, with which reference; replaced at erasure like every admin note. */
                    detail?: string;
                }[];
            }[];
            fields?: string[];
            downloadable: boolean;
            receipt?: components["schemas"]["ErasureReceipt"];
            /** @description Erasure and export: each recipient told (Art. 19) and where its answer stands. The request stays `awaiting_recipients` until every one is acknowledged, or an admin completes it after their deadlines. */
            recipients?: components["schemas"]["RecipientProgress"][];
            /**
             * @description Who filed it, when not you: `retention` for an erasure the retention job filed for an inactive account.
             * @enum {string}
             */
            origin?: "retention";
            /** @description Epoch seconds, once the request is completed or rejected: when this record, kept as proof of the answer, is deleted. */
            expiresAt?: number;
            /** @description The subject id, or erased#<pseudonym> after erasure. */
            subjectId: string;
        };
        RejectRequest: {
            reason: string;
        };
        ExtendRequest: {
            months: 1 | 2;
            reason: string;
        };
        CompleteRequest: {
            /** @description What was done, for the subject to read. */
            note: string;
            /** @description What was done where, one entry per system: required, so a request is never closed by hand without it. */
            evidence: {
                where: string;
                /** @enum {string} */
                action: "deleted" | "corrected" | "exported" | "sent" | "restricted" | "checked-none-held" | "other";
                detail?: string;
            }[];
        };
        FoundSubject: {
            /** Format: uuid */
            subjectId: string;
        };
        FindSubjectRequest: {
            /** Format: email */
            email: string;
        };
        RecipientAckAnswer: {
            /** @enum {string} */
            recipient: "app-service" | "email-provider";
            /** Format: uuid */
            requestId: string;
            /**
             * @description The recipient's recorded outcome for this request.
             * @enum {string}
             */
            status: "pending" | "done" | "nothing_found" | "failed";
            /** @description True when the ack changed nothing: the recipient had already acknowledged. */
            duplicate: boolean;
            /**
             * @description The request after this ack: `completed` once every recipient acknowledged.
             * @enum {string}
             */
            requestStatus: "received" | "verified" | "queued" | "in_progress" | "awaiting_recipients" | "completed" | "rejected" | "failed";
        };
        RecipientAck: {
            messageId: string;
            /** Format: uuid */
            requestId: string;
            /** @enum {string} */
            action: "delete" | "provide-part";
            /** @enum {string} */
            outcome: "done" | "nothing_found" | "failed";
            counts?: {
                [key: string]: number;
            };
            reason?: string;
            exportPart?: {
                /** @enum {string} */
                contentType: "application/json";
            };
        };
        RecipientsOverview: {
            recipients: {
                /** @enum {string} */
                recipient: "app-service" | "email-provider";
                name: string;
                /** @enum {string} */
                kind: "own-service" | "processor" | "third-party";
                /** @enum {string} */
                delivery: "queue" | "webhook";
                answerWithinDays: number;
                /**
                 * @description failing: a request awaiting it shows it failed (it answered failed, or its webhook message went to the DLQ); overdue: one is past its deadline; ok otherwise.
                 * @enum {string}
                 */
                status: "ok" | "overdue" | "failing";
                /** @description Requests awaiting their recipients that wait for this one, by where it stands. */
                awaiting: {
                    pending: number;
                    overdue: number;
                    failed: number;
                };
            }[];
        };
        OperationsOverview: {
            at: string;
            queues: {
                queue: string;
                dlq: string;
                carries: string;
                /** @enum {string} */
                recipient?: "app-service" | "email-provider";
                /** @description SQS's approximate counters: waiting, received but not yet deleted, delayed. Never a message. */
                depth: {
                    visible: number;
                    inFlight: number;
                    delayed: number;
                };
                /** @description SQS's approximate counters: waiting, received but not yet deleted, delayed. Never a message. */
                dlqDepth: {
                    visible: number;
                    inFlight: number;
                    delayed: number;
                };
            }[];
            /** @description Open requests past their due date, by status, and those waiting on a recipient past its deadline. */
            overdue: {
                total: number;
                byStatus: {
                    [key: string]: number;
                };
                waitingOnRecipients: number;
            };
            jobs: {
                job: string;
                schedule: string;
                lastRun?: {
                    jobId: string;
                    startedAt: string;
                    finishedAt: string;
                    /** @enum {string} */
                    outcome: "succeeded" | "failed";
                    counts?: {
                        [key: string]: number;
                    };
                    /** @description The error class of a failed run (TimedOut: it reached its timeout). */
                    error?: string;
                };
            }[];
            recipients: {
                /** @enum {string} */
                recipient: "app-service" | "email-provider";
                name: string;
                /** @enum {string} */
                kind: "own-service" | "processor" | "third-party";
                /** @enum {string} */
                delivery: "queue" | "webhook";
                answerWithinDays: number;
                /** @enum {string} */
                status: "ok" | "overdue" | "failing";
                awaiting: {
                    pending: number;
                    overdue: number;
                    failed: number;
                };
            }[];
            alarms: {
                /** @enum {boolean} */
                available: true;
                alarms: {
                    name: string;
                    /** @enum {string} */
                    state: "OK" | "ALARM" | "INSUFFICIENT_DATA";
                    since?: string;
                    description?: string;
                }[];
            } | {
                /** @enum {boolean} */
                available: false;
                reason: string;
            };
        };
        RedriveResult: {
            dlq: string;
            /** @description The queue the messages went back to. */
            queue: string;
            /** @description Messages sent to the queue and then deleted from the DLQ. */
            moved: number;
            /** @description A send failed: the error class; the rest stays in the DLQ. */
            interruptedBy?: string;
            /** @description SQS's approximate counters: waiting, received but not yet deleted, delayed. Never a message. */
            dlqDepth: {
                visible: number;
                inFlight: number;
                delayed: number;
            };
        };
        RedriveRequest: {
            /** @description How many messages to move at most (default 10, at most 100 per call). */
            max?: number;
        };
        LegalHoldState: {
            /** Format: uuid */
            subjectId: string;
            /** @description Absent once lifted. */
            legalHold?: {
                reason: string;
                /** Format: date-time */
                at: string;
            };
            /**
             * @description Placing a hold: `cancelled` when a retention erasure was filed but not yet started (it is rejected), `started` when it is already running and can no longer be stopped, `none` otherwise. Always `none` when lifting.
             * @enum {string}
             */
            retentionErasure: "none" | "cancelled" | "started";
        };
        LegalHoldRequest: {
            /** @description Why the account must be kept (a case or order reference). Never logged or audited; erased with the account. */
            reason: string;
        };
        SubjectOverview: {
            /** Format: uuid */
            subjectId: string;
            /**
             * Format: date-time
             * @description The last login (or registration): where the inactivity period starts.
             */
            lastActiveAt: string;
            inactivityNotice?: {
                /** Format: date-time */
                noticeAt: string;
                /** Format: date-time */
                erasureAt?: string;
            };
            /** @description Present while a hold stands: the retention job neither notifies nor erases the account. */
            legalHold?: {
                reason: string;
                /** Format: date-time */
                at: string;
            };
            consents: components["schemas"]["ConsentOverview"];
            /** @description Purposes the subject objects to (Art. 21), also while a restriction shows them as `restricted`. */
            objections: string[];
            /** @description The subject's rights requests, newest first. */
            requests: components["schemas"]["RightsRequest"][];
            /** @description The profile's fields, shown masked: reveal one with POST …/reveal. */
            maskedProfileFields: ("email" | "displayName" | "givenName" | "familyName" | "locale" | "phone" | "postalAddress")[];
        };
        ConsentReceipt: {
            /** Format: uuid */
            subjectId: string;
            /** @enum {string} */
            purpose: "account" | "transparency" | "accountability" | "consent-management" | "marketing-email" | "analytics" | "product-improvement";
            purposeTitle: string;
            lawfulBasis: string;
            /** @enum {string} */
            status: "granted" | "not-granted" | "withdrawn" | "needs-reconsent" | "expired" | "objected" | "restricted" | "not-applicable";
            event: {
                /** Format: uuid */
                eventId: string;
                topic: string;
                /** @enum {string} */
                action: "grant" | "withdraw" | "object" | "withdraw-objection" | "restrict" | "lift-restriction";
                seq: number;
                policyVersion?: string;
                policyHash?: string;
                /** @enum {string} */
                method: "signup" | "settings" | "api" | "admin-on-behalf";
                /** Format: date-time */
                at: string;
                clientId: string;
                /** Format: date-time */
                validUntil?: string;
            };
            currentPolicyVersion: string;
            /** @description Whether the decision's policy hash is that of the text shown today. */
            policyTextMatches: boolean;
            /** @description The policy text the decision was made on, when it is today's text. */
            policyText?: string;
            /** Format: date-time */
            issuedAt: string;
        };
        ConsentStats: {
            /** Format: date */
            from: string;
            /** Format: date */
            to: string;
            /**
             * Format: date
             * @description The UTC day expiry is counted against: grants lapsing on it are `lapsingToday`.
             */
            today: string;
            purposes: {
                /** @enum {string} */
                purpose: "account" | "transparency" | "accountability" | "consent-management" | "marketing-email" | "analytics" | "product-improvement";
                lawfulBasis: string;
                currentVersion: string;
                reconsentFrom: string;
                /** @description Standing grants given on a policy version other than the current one. */
                onOutdatedVersion: number;
                versions: {
                    version: string;
                    current: boolean;
                    /** @description Subjects (sum of the counters over their shards). */
                    granted: number;
                    /** @description Subjects (sum of the counters over their shards). */
                    lapsingToday: number;
                    /** @description Subjects (sum of the counters over their shards). */
                    expired: number;
                    /** @description Subjects (sum of the counters over their shards). */
                    needsReconsent: number;
                    /** @description Subjects (sum of the counters over their shards). */
                    withdrawn: number;
                    /** @description Subjects (sum of the counters over their shards). */
                    objected: number;
                    /** @description Subjects (sum of the counters over their shards). */
                    objectionWithdrawn: number;
                }[];
            }[];
            /** @description Subjects whose processing is restricted now (Art. 18). */
            restricted: number;
            /** @description Decisions per day, topic and action in the range; days without any are left out. */
            days: {
                /** Format: date */
                day: string;
                /** @description A purpose id, or `restriction`. */
                topic: string;
                /** @enum {string} */
                action: "grant" | "withdraw" | "object" | "withdraw-objection" | "restrict" | "lift-restriction";
                count: number;
            }[];
        };
        RevealedField: {
            /** Format: uuid */
            subjectId: string;
            field: string;
            /** @enum {string} */
            purpose: "account" | "transparency" | "accountability";
            /** @description The value (a postal address is an object); null when the field is empty. */
            value: null | string | {
                [key: string]: string;
            };
        };
        RevealFieldRequest: {
            /** @enum {string} */
            field: "email" | "displayName" | "givenName" | "familyName" | "locale" | "phone" | "postalAddress";
            /**
             * @description Why the value is needed, from the purpose catalogue: `account` (checking who asks before acting), `transparency` (answering the subject's own request), `accountability` (a legal claim, a supervisory authority). Recorded on the trail.
             * @enum {string}
             */
            purpose: "account" | "transparency" | "accountability";
        };
        AuditExport: {
            /** Format: date-time */
            exportedAt: string;
            /** @description The search as the trail was read: pseudonyms only, the range with its defaults applied. */
            filter: {
                subjectPseudonym?: string;
                actorId?: string;
                action?: string;
                /** Format: date-time */
                from: string;
                /** Format: date-time */
                to: string;
            };
            count: number;
            /** @description Newest first. Each entry re-hashes to its `hash` (see `fmn audit verify`). */
            entries: components["schemas"]["AuditEntry"][];
        };
        ChainReport: {
            chainId: string;
            subjectPseudonym: string;
            /** @description Entries checked. */
            checked: number;
            /** @description Above 1 when older entries have expired by retention. */
            firstSeq?: number;
            lastSeq?: number;
            ok: boolean;
            firstBreak?: {
                seq: number;
                /** @enum {string} */
                reason: "content-changed" | "link-broken" | "missing-entry" | "out-of-order" | "head-mismatch";
                detail: string;
            };
        };
        Incident: {
            /** Format: uuid */
            incidentId: string;
            /** Format: date-time */
            awareAt: string;
            /** Format: date-time */
            detectedAt: string;
            stores: string[];
            window: {
                /** Format: date-time */
                from: string;
                /** Format: date-time */
                to: string;
            };
            description: string;
            nature: ("confidentiality" | "integrity" | "availability")[];
            /** @enum {string} */
            status: "open" | "closed";
            authorityNotice: {
                /** @description Art. 33(3)(a): categories of data and of subjects concerned, beyond the scope's. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
                natureDetail?: string;
                approxSubjects?: number;
                approxRecords?: number;
                /** @description Art. 33(3)(b): the notice gives the DPO's contact (the contact itself is the RoPA's, never stored here). */
                dpoContactIncluded?: boolean;
                /** @description Art. 33(3)(c): likely consequences. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
                consequences?: string;
                /** @description Art. 33(3)(d): measures taken or proposed. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
                measures?: string;
                /** @description Art. 33(4): information given in phases; more to follow. */
                furtherInformationToFollow?: boolean;
                /**
                 * Format: date-time
                 * @description When the authority was notified; after the 72 hours, delayReasons is required.
                 */
                notifiedAt?: string;
                /** @description Art. 33(1): reasons for notifying after 72 hours. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
                delayReasons?: string;
                /** @description The authority's case reference. */
                reference?: string;
            };
            subjectNotice: {
                /** @description Art. 34(1): likely to result in a high risk to the subjects. */
                highRisk?: boolean;
                /** @description Art. 34(2): the nature of the breach in clear and plain language. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
                plainDescription?: string;
                dpoContactIncluded?: boolean;
                /** @description Likely consequences, for the subjects. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
                consequences?: string;
                /** @description Measures taken or proposed, for the subjects. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
                measures?: string;
                /** Format: date-time */
                notifiedAt?: string;
                /**
                 * @description Art. 34(3)(a), (b) or (c).
                 * @enum {string}
                 */
                exemption?: "unintelligible" | "subsequent-measures" | "disproportionate-effort";
                /** @description Why the exemption applies. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
                exemptionReason?: string;
                /** @description Art. 34(3)(c): the public communication made instead. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
                publicCommunication?: string;
            };
            scope?: {
                /** @enum {string} */
                status: "queued" | "done" | "failed";
                /** Format: uuid */
                jobId: string;
                /** Format: date-time */
                requestedAt: string;
                /** Format: date-time */
                finishedAt?: string;
                pages?: number;
                result?: {
                    categories: string[];
                    subjects: {
                        count: number;
                        approximate: boolean;
                    };
                    stores: {
                        store: string;
                        kind: string;
                        categories: string[];
                        held: {
                            enumerated: boolean;
                            subjects: number;
                            identifiedBy: string;
                            note?: string;
                        };
                        accessed: {
                            entries: number;
                            subjects: number;
                            byOrigin: {
                                origin: string;
                                entries: number;
                                subjects: number;
                                actions: string[];
                                categories: string[];
                                declared: boolean;
                            }[];
                        };
                    }[];
                };
            };
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** @description The 72 hours to the authority: deadline = awareAt + 72 h; minutes left (negative past it), or left at notification. */
            clock: {
                /** Format: date-time */
                deadline: string;
                /** @enum {string} */
                state: "running" | "overdue" | "notified" | "notified-late";
                minutesLeft: number;
            };
            /** @description Which points of the Art. 33(3) notice and the Art. 34 communication the record holds. */
            checklists: {
                authority: {
                    items: {
                        field: string;
                        article: string;
                        label: string;
                        filled: boolean;
                    }[];
                    complete: boolean;
                };
                subjects: {
                    items: {
                        field: string;
                        article: string;
                        label: string;
                        filled: boolean;
                    }[];
                    complete: boolean;
                };
            };
        };
        NewIncident: {
            /**
             * Format: date-time
             * @description When the controller became aware of the breach: the 72 hours to the authority run from here (Art. 33(1)).
             */
            awareAt: string;
            /**
             * Format: date-time
             * @description When the breach was detected; not after awareAt.
             */
            detectedAt: string;
            /** @description Affected stores, by inventory id: the scope covers each. */
            stores: ("users" | "identities" | "loginThrottle" | "jobRuns" | "subjectKeys" | "sessions" | "consent" | "analyticsEvents" | "rightsRequests" | "audit" | "incidents" | "exports" | "rightsRequestQueue" | "recipientEvents" | "subjectEvents" | "accessLogs" | "trailBucket" | "trailLogGroup" | "apiAccessLogs")[];
            /** @description When the breach may have happened: the scope counts subjects held and accesses in it. */
            window: {
                /** Format: date-time */
                from: string;
                /** Format: date-time */
                to: string;
            };
            /** @description What happened, in the officer's words. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
            description: string;
            /** @description Confidentiality, integrity and/or availability breach. */
            nature: ("confidentiality" | "integrity" | "availability")[];
        };
        IncidentList: {
            /** @description Newest awareness first. */
            incidents: components["schemas"]["Incident"][];
        };
        IncidentChange: {
            /** @description What happened. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
            description?: string;
            nature?: ("confidentiality" | "integrity" | "availability")[];
            /**
             * @description closed: documentation only; a closed incident can only be reopened.
             * @enum {string}
             */
            status?: "open" | "closed";
            authorityNotice?: {
                /** @description Art. 33(3)(a): categories of data and of subjects concerned, beyond the scope's. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
                natureDetail?: string;
                approxSubjects?: number;
                approxRecords?: number;
                /** @description Art. 33(3)(b): the notice gives the DPO's contact (the contact itself is the RoPA's, never stored here). */
                dpoContactIncluded?: boolean;
                /** @description Art. 33(3)(c): likely consequences. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
                consequences?: string;
                /** @description Art. 33(3)(d): measures taken or proposed. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
                measures?: string;
                /** @description Art. 33(4): information given in phases; more to follow. */
                furtherInformationToFollow?: boolean;
                /**
                 * Format: date-time
                 * @description When the authority was notified; after the 72 hours, delayReasons is required.
                 */
                notifiedAt?: string;
                /** @description Art. 33(1): reasons for notifying after 72 hours. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
                delayReasons?: string;
                /** @description The authority's case reference. */
                reference?: string;
            };
            subjectNotice?: {
                /** @description Art. 34(1): likely to result in a high risk to the subjects. */
                highRisk?: boolean;
                /** @description Art. 34(2): the nature of the breach in clear and plain language. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
                plainDescription?: string;
                dpoContactIncluded?: boolean;
                /** @description Likely consequences, for the subjects. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
                consequences?: string;
                /** @description Measures taken or proposed, for the subjects. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
                measures?: string;
                /** Format: date-time */
                notifiedAt?: string;
                /**
                 * @description Art. 34(3)(a), (b) or (c).
                 * @enum {string}
                 */
                exemption?: "unintelligible" | "subsequent-measures" | "disproportionate-effort";
                /** @description Why the exemption applies. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
                exemptionReason?: string;
                /** @description Art. 34(3)(c): the public communication made instead. Text shaped like an email address or a phone number is refused (422 personal-data-in-text). */
                publicCommunication?: string;
            };
        };
        IncidentExport: {
            /** Format: date-time */
            exportedAt: string;
            incident: components["schemas"]["Incident"];
            /** @description Audit pseudonyms of the subjects the scope found (never ids). */
            pseudonyms: string[];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The API is up. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    openapi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI 3.1 document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    register: {
        parameters: {
            query?: never;
            header?: {
                /** @description The app the request comes from: one of the client ids the deployment declares (`-c clientIds`, default web, ios, android), else 400. Recorded with consent decisions, which are kept as proof after erasure, so it names an app, never a person. Without the header, `unknown` is recorded. */
                "X-Client-Id"?: string;
                /** @description Turned into a coarse device label for the session list; the user agent itself is not stored. */
                "User-Agent"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterRequest"];
            };
        };
        responses: {
            /** @description Account created; the session token is shown once. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Registration"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The email is already registered. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description My sessions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionList"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: {
                /** @description Turned into a coarse device label for the session list; the user agent itself is not stored. */
                "User-Agent"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description Logged in; the session token is shown once. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Login"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Wrong email or password. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    logoutEverywhere: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description All sessions ended. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    loginOidc: {
        parameters: {
            query?: never;
            header?: {
                /** @description Turned into a coarse device label for the session list; the user agent itself is not stored. */
                "User-Agent"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OidcLoginRequest"];
            };
        };
        responses: {
            /** @description Logged in; the session token is shown once. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OidcLogin"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The ID token is invalid, expired, or from an unknown issuer. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The provider shared no email, or an unverified one, for a new account. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Logged out. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    reauthenticate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReauthenticationRequest"];
            };
        };
        responses: {
            /** @description Confirmed; destructive actions are allowed until `validUntil`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Reauthentication"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session, or it ended meanwhile (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not an admin, or a wrong password or code (`reauthentication-failed`) (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description My account. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The account data has been erased. */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProfileCorrection"];
            };
        };
        responses: {
            /** @description The corrected account. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The new email is taken, or the account changed concurrently. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The account data has been erased. */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    myAudit: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100 (default 50). */
                limit?: string;
                /** @description The `next` value of the previous page, unchanged, with the same filters; valid for 24 hours. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the audit trail about me. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MyAuditPage"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminAudit: {
        parameters: {
            query?: {
                /** @description Entries about this subject (looked up by its pseudonym). */
                subjectId?: string;
                /** @description Entries about the subject with this pseudonym. */
                subjectPseudonym?: string;
                /** @description Entries by this actor: `subject:<pseudonym>` or `system:<origin>`. */
                actorId?: string;
                /** @description Entries by the person with this subject id. */
                actorSubjectId?: string;
                action?: "read" | "create" | "update" | "delete" | "login" | "logout" | "export" | "erase" | "consent.grant" | "consent.withdraw" | "consent.object" | "consent.unobject" | "restriction.start" | "restriction.end" | "recipient.ack";
                /** @description Earliest time, inclusive (UTC, ISO 8601). */
                from?: string;
                /** @description Latest time, inclusive (UTC, ISO 8601). */
                to?: string;
                /** @description Page size, 1 to 100 (default 50). */
                limit?: string;
                /** @description The `next` value of the previous page, unchanged, with the same filters; valid for 24 hours. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of audit entries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller is not an administrator. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    purposes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every purpose. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PurposeList"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    myConsents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description State per purpose. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsentOverview"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putConsent: {
        parameters: {
            query?: never;
            header?: {
                /** @description The app the request comes from: one of the client ids the deployment declares (`-c clientIds`, default web, ios, android), else 400. Recorded with consent decisions, which are kept as proof after erasure, so it names an app, never a person. Without the header, `unknown` is recorded. */
                "X-Client-Id"?: string;
            };
            path: {
                purpose: "account" | "transparency" | "accountability" | "consent-management" | "marketing-email" | "analytics" | "product-improvement";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConsentDecision"];
            };
        };
        responses: {
            /** @description The new state per purpose. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsentOverview"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The purpose is not based on consent, or the consent changed concurrently. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    consentHistory: {
        parameters: {
            query?: {
                limit?: string;
                /** @description The `next` value of the previous page, unchanged, with the same filters; valid for 24 hours. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of my consent history. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsentHistory"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    restrict: {
        parameters: {
            query?: never;
            header?: {
                /** @description The app the request comes from: one of the client ids the deployment declares (`-c clientIds`, default web, ios, android), else 400. Recorded with consent decisions, which are kept as proof after erasure, so it names an app, never a person. Without the header, `unknown` is recorded. */
                "X-Client-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new state. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsentOverview"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    liftRestriction: {
        parameters: {
            query?: never;
            header?: {
                /** @description The app the request comes from: one of the client ids the deployment declares (`-c clientIds`, default web, ios, android), else 400. Recorded with consent decisions, which are kept as proof after erasure, so it names an app, never a person. Without the header, `unknown` is recorded. */
                "X-Client-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new state. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsentOverview"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    object: {
        parameters: {
            query?: never;
            header?: {
                /** @description The app the request comes from: one of the client ids the deployment declares (`-c clientIds`, default web, ios, android), else 400. Recorded with consent decisions, which are kept as proof after erasure, so it names an app, never a person. Without the header, `unknown` is recorded. */
                "X-Client-Id"?: string;
            };
            path: {
                purpose: "account" | "transparency" | "accountability" | "consent-management" | "marketing-email" | "analytics" | "product-improvement";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new state. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsentOverview"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The purpose is not based on legitimate interest. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    withdrawObjection: {
        parameters: {
            query?: never;
            header?: {
                /** @description The app the request comes from: one of the client ids the deployment declares (`-c clientIds`, default web, ios, android), else 400. Recorded with consent decisions, which are kept as proof after erasure, so it names an app, never a person. Without the header, `unknown` is recorded. */
                "X-Client-Id"?: string;
            };
            path: {
                purpose: "account" | "transparency" | "accountability" | "consent-management" | "marketing-email" | "analytics" | "product-improvement";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new state. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsentOverview"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The purpose is not based on legitimate interest. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    analyticsEvents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AnalyticsEvents"];
            };
        };
        responses: {
            /** @description Accepted (stored only with consent). */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    newsletter: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewsletterPreference"];
            };
        };
        responses: {
            /** @description The preference. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Newsletter"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    myRequests: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description My requests. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RightsRequestList"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createRequest: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewRightsRequest"];
            };
        };
        responses: {
            /** @description Recorded (and queued, for automatic types). */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedRightsRequest"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A request of this type is already open. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    myRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RightsRequest"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such request of mine. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    downloadExport: {
        parameters: {
            query?: {
                format?: "json" | "csv";
            };
            header?: never;
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The link. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DownloadLink"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such request of mine. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The export is not ready (or has expired). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    erasureReceipt: {
        parameters: {
            query?: never;
            header: {
                /** @description The receipt token shown once when the erasure was requested. */
                "X-Receipt-Token": string;
            };
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The receipt. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErasureReceipt"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No receipt for this id and token. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminRequests: {
        parameters: {
            query?: {
                status?: "received" | "verified" | "queued" | "in_progress" | "awaiting_recipients" | "completed" | "rejected" | "failed";
                overdue?: "true" | "false";
                type?: "access" | "export" | "rectification" | "erasure";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Requests. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminRightsRequestList"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminRightsRequest"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such request. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminDownloadExport: {
        parameters: {
            query?: {
                format?: "json" | "csv";
            };
            header?: never;
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The link. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DownloadLink"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such request. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The export is not ready (or has expired). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    approveRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request after the change. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminRightsRequest"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not an admin (`forbidden`), or no password and second factor given within the last 5 minutes (`reauthentication-required`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such request. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not possible in the request's current state. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rejectRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RejectRequest"];
            };
        };
        responses: {
            /** @description The request after the change. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminRightsRequest"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such request. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not possible in the request's current state. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    extendRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExtendRequest"];
            };
        };
        responses: {
            /** @description The request after the change. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminRightsRequest"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such request. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not possible in the request's current state. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    completeRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CompleteRequest"];
            };
        };
        responses: {
            /** @description The request after the change. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminRightsRequest"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not an admin (`forbidden`), or no password and second factor given within the last 5 minutes (`reauthentication-required`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such request. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not possible in the request's current state. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    findSubject: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FindSubjectRequest"];
            };
        };
        responses: {
            /** @description The account with this email. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FoundSubject"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No account with this email (`subject-not-found`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    recipientAck: {
        parameters: {
            query?: never;
            header?: {
                /** @description Standard Webhooks: a fresh id per ack ([A-Za-z0-9_-], at most 64); the same id twice within 10 minutes is a replay (401). */
                "webhook-id"?: string;
                /** @description Standard Webhooks: seconds since the epoch; more than 5 minutes from now either way is refused (401). */
                "webhook-timestamp"?: string;
                /** @description Standard Webhooks: `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<raw body>">` under the recipient's secret (`fmn recipients secret <id>`); several, space-separated, during a rotation. */
                "webhook-signature"?: string;
            };
            path: {
                recipientId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecipientAck"];
            };
        };
        responses: {
            /** @description Recorded, or a duplicate that changed nothing. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecipientAckAnswer"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid signature of this recipient, a timestamp more than 5 minutes off, or a replayed webhook-id. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The message was not sent to this recipient. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such recipient or request. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An export part acknowledged as done before it was uploaded: the answer carries the upload URL. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminRecipients: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The recipients. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecipientsOverview"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminOperations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The operations view. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OperationsOverview"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    redriveQueue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The dead-letter queue to move messages out of, back to its own queue. */
                queue: "rightsRequestDlq" | "recipient-app-service-dlq" | "recipient-email-provider-dlq";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RedriveRequest"];
            };
        };
        responses: {
            /** @description What was moved, and the DLQ after. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RedriveResult"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not an admin (`forbidden`), or no password and second factor given within the last 5 minutes (`reauthentication-required`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setLegalHold: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                subjectId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LegalHoldRequest"];
            };
        };
        responses: {
            /** @description The hold, and what became of a pending retention erasure. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegalHoldState"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No account with this subject id. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    liftLegalHold: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                subjectId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account without a hold. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegalHoldState"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not an admin (`forbidden`), or no password and second factor given within the last 5 minutes (`reauthentication-required`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No account with this subject id. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminSubject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                subjectId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The subject. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubjectOverview"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No account with this subject id. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminConsentHistory: {
        parameters: {
            query?: {
                limit?: string;
                /** @description The `next` value of the previous page, unchanged, with the same filters; valid for 24 hours. */
                cursor?: string;
            };
            header?: never;
            path: {
                subjectId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the subject's consent history. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsentHistory"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminConsentReceipt: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                subjectId: string;
                purpose: "account" | "transparency" | "accountability" | "consent-management" | "marketing-email" | "analytics" | "product-improvement";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The receipt. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsentReceipt"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The subject has made no decision on this purpose (`consent-decision-not-found`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminConsentStats: {
        parameters: {
            query?: {
                /** @description First day (UTC), inclusive. Default: 29 days before `to`. */
                from?: string;
                /** @description Last day (UTC), inclusive. Default: today. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The figures. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsentStats"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revealProfileField: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                subjectId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RevealFieldRequest"];
            };
        };
        responses: {
            /** @description The value of the field. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RevealedField"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No account with this subject id. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The account data has been erased. */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminAuditExport: {
        parameters: {
            query?: {
                /** @description Entries about this subject (looked up by its pseudonym). */
                subjectId?: string;
                /** @description Entries about the subject with this pseudonym. */
                subjectPseudonym?: string;
                /** @description Entries by this actor: `subject:<pseudonym>` or `system:<origin>`. */
                actorId?: string;
                /** @description Entries by the person with this subject id. */
                actorSubjectId?: string;
                action?: "read" | "create" | "update" | "delete" | "login" | "logout" | "export" | "erase" | "consent.grant" | "consent.withdraw" | "consent.object" | "consent.unobject" | "restriction.start" | "restriction.end" | "recipient.ack";
                /** @description Earliest time, inclusive (UTC, ISO 8601). */
                from?: string;
                /** @description Latest time, inclusive (UTC, ISO 8601). */
                to?: string;
                /** @description `json` (default) or `csv`; both carry every entry's `prevHash` and `hash`. */
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The entries found. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditExport"];
                    "text/csv": string;
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller is not an administrator. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The search finds more than 4000 entries; narrow it. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    verifySubjectAudit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                subjectId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The chain's report (also when broken: `ok` is false). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChainReport"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller is not an administrator. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminIncidents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every incident kept. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IncidentList"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createIncident: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewIncident"];
            };
        };
        responses: {
            /** @description The incident, with its clock and checklists. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Incident"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Text that looks like contact details, or impossible times. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminIncident: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                incidentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The incident. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Incident"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No incident with this id. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateIncident: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                incidentId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["IncidentChange"];
            };
        };
        responses: {
            /** @description The incident after the change. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Incident"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No incident with this id. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The incident changed meanwhile, or it is closed. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Text that looks like contact details, a late notice without reasons, or impossible times. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startIncidentScope: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                incidentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued: the incident with scope.status queued; poll GET /v1/admin/incidents/{incidentId}. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Incident"];
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No incident with this id. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The incident changed meanwhile, or it is closed. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    exportIncident: {
        parameters: {
            query?: {
                /** @description `json` (default) or `csv` (field,value rows). */
                format?: "json" | "csv";
            };
            header?: never;
            path: {
                incidentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IncidentExport"];
                    "text/csv": string;
                };
            };
            /** @description Malformed or invalid request (problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid session (problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No incident with this id. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Other changes to this account were being made at the same time; nothing was applied, retry (problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body too large (problem+json). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body is not JSON (problem+json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (problem+json). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body says nothing internal (problem+json). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
