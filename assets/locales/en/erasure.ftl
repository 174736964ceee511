# What an erasure record's finding says, told when the record is shown (crates/app/src/erase/finding.rs).
# The record keeps the finding's code and facts, never these words.

erase-finding-drive-interrupted = stopped on request before the end; nothing is proven — erase the drive again from the start
erase-finding-drive-failed = { $count } fault(s); the first: { $detail }
erase-finding-drive-failed-bare = failed
# The kind of the first fault (the English sentence does not name it).
erase-fault-write = write
erase-fault-flush = flush to the medium
erase-fault-read = read back
erase-fault-mismatch = block differs when read back
# A sentence the bench sent, quoted.
erase-quoted = "{ $text }"
erase-finding-bench-failed = the bench reported the { $method } failed; the device cannot be certified — erase it again, or reset it by hand
erase-finding-bench-failed-said = the bench reported the { $method } failed: { $detail }; the device cannot be certified — erase it again, or reset it by hand
erase-finding-bench-failed-status = the bench reported the { $method } failed (through STATUS: its done event was lost, and its detail with it); erase the device again, or reset it by hand
# $said is empty, or the bench's message quoted in parentheses; $advice is unsupported, busy or none.
erase-finding-bench-refused = the bench refused ERASE { $slot } { $method } with { $code }{ $said }; nothing was erased{ $advice ->
        [unsupported] { " — " }the bench cannot erase this device this way: use the other method, or reset it by hand
        [busy] { " — " }the slot was busy; try again when it is idle
       *[none] {""}
    }
erase-finding-bench-interrupted = { $why }; nothing is proven — erase the device again
erase-finding-manual-stopped = the operator stopped at step { $number } of { $count } ({ $step }); nothing is proven — go through the reset again
erase-finding-manual-step-failed = required step { $number } of { $count } ({ $step }) was answered { $answer }: "{ $text }"; the device cannot be certified — complete that step, then go through the reset again
erase-interruption-device-removed = the device was taken out of the slot before the bench reported the outcome
erase-interruption-bench-reset = the bench restarted during the erase and forgot it
erase-interruption-bench-gone = the bench went away (its port closed) before it reported the outcome
erase-interruption-bench-silent = the bench stopped answering before it reported the outcome
erase-interruption-forgotten = the bench no longer knows of this erase (it restarted, or the device was swapped, and that event was lost)
erase-interruption-no-outcome = the bench reported no outcome in time
erase-interruption-cancelled = the operator stopped waiting for the bench (it may still be erasing)
erase-step-answer-yes = yes
erase-step-answer-no = no
erase-step-answer-skipped = skipped
