## The verification page a certificate's QR code opens (crates/verify-page, `refurbdesk site serve`).

verify-page-language-name = English
verify-page-title = Certificate verification
verify-page-unknown-title = No such document
verify-page-unknown = No document with this identifier and digest is known here. Check the link, or scan the QR code on the document again.
verify-page-unavailable = The verification service cannot answer right now. Please try again in a few minutes.
verify-page-valid = Valid: this document was issued and signed by the organisation named below, and it has not been voided.
verify-page-voided = Voided on { $at } by { $by }: { $reason }. Do not rely on this document.
verify-page-voided-at = Voided on
verify-page-voided-by = Voided by
verify-page-void-reason = Reason
verify-page-invalid = This document's record does not verify against the organisation's published keys. Do not rely on it, and contact the issuer.
verify-page-replaced = A new document was issued to replace this one: { $id }.
verify-page-check-heading = Check your copy
verify-page-check-help = Drop the PDF here, or choose it. It is checked in this browser: the file is not sent anywhere.
verify-page-checking = Checking…
verify-page-match = This file is this document, intact: its seal and its signature verify.
verify-page-match-voided = This file is this document and is intact, but the document has been voided.
verify-page-other = This file verifies, but it is another document ({ $id }), not the one on this page.
verify-page-invalid-file = This file does not verify: it was changed after it was issued, or it was not issued by this organisation. Do not trust it.
verify-page-error = The file could not be checked.
verify-page-signed-fields = What the document says
