# The trade-in batches screen.
batches-list = Batches
batches-open = Open
batches-customer = Customer
batches-stage-awaiting = Awaiting devices
batches-stage-receiving = Receiving
batches-stage-received = All received
batches-stage-closed = Closed
batches-import-title = Import a manifest
batches-import-customer = Customer (name)
batches-import-quote-date = Quote date
batches-import-file = Manifest file (CSV or XLSX)
batches-import-drop = or drop the file here
batches-importing = Importing…
batches-imported = { $lines ->
        [one] Imported one device.
       *[other] Imported { $lines } devices.
    }
batches-problems = The manifest was not imported: { $count ->
        [one] one problem
       *[other] { $count } problems
    }.
batches-receive-label = Scan an IMEI or serial
batches-receive-hint = A scanner can type anywhere on this screen: its code lands here.
batches-receive-submit = Receive
batches-scan-matched = { $code }: declared on line { $line }.
batches-scan-extra = { $code }: not in the manifest, recorded as an extra device.
batches-scan-again = { $code } was already received.
batches-totals = Totals
batches-declared = Declared
batches-received = Received
batches-missing = Missing
batches-extra = Extra
batches-audited = Audited
batches-quoted = Quoted total
batches-revised = Revised total
batches-revised-pending = not revised yet
batches-due = Audit due
batches-due-estimated = { $date } (estimate)
batches-quote-expiry = Quote valid until
batches-quote-expired = The quote expired on { $date }: re-quote before sending results.
batches-requote = Re-quote today
batches-missing-title = Missing devices
batches-extra-title = Extra devices
batches-none = None.
batches-line = line { $line }
batches-revised-so-far = not final: { $amount } { $currency } so far ({ $count } still to audit)
batches-audit-title = Audit
batches-audit-progress = { $audited } of { $received } received devices audited
batches-state-missing = Not received
batches-state-received = To audit
batches-state-audited = Audited
batches-disposition-accept = Accepted as quoted
batches-disposition-readjusted = Quote readjusted
batches-disposition-return = Returned to the customer
batches-disposition-hold = Held until unlocked
batches-requote-flag = to be quoted again
batches-declared-as = Declared
batches-found-as = Found
batches-price = { $revised } of { $quoted } { $currency }
batches-open-device = Open the device
batches-not-at-intake = not through intake yet
batches-box = In the box: { $accessories }
batches-box-empty = nothing
batches-box-not-recorded = box not recorded
batches-accessories-label = In the box (charger;cable…)
batches-close = Close the batch
batches-close-reason = Reason, to close with devices still to audit
batches-closed-on = Closed on { $date }.
batches-documents = Report and exports
batches-report = Issue the signed batch report
batches-export-format = Export format
batches-export = Export the audit
batches-certificates = Certificates (ZIP)
batches-written = Written: { $path }
