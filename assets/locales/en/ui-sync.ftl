# The Settings screen's marketplace sync section (ui/src/keys/sync.ts lists its keys).

sync-title = Marketplace sync
sync-not-configured = No marketplace is configured: nothing is sent.
sync-configured = Sending to { $url }
sync-counts = { $pending } waiting, { $inflight } being sent, { $failed } failed, { $sent } sent
sync-empty = Nothing waits to be sent.
sync-refresh = Refresh
sync-state = State
sync-change = Change
sync-attempts = Attempts
sync-message = Marketplace's message
sync-state-pending = Waiting
sync-state-in-flight = Being sent
sync-state-failed = Failed
sync-kind-listing-quantity = Listing quantity
sync-kind-orderline-identity = Shipped device's IMEI
sync-kind-buyback-decision = Trade-in verdict
sync-kind-other = Other change
sync-retry = Retry
sync-cancel = Cancel
