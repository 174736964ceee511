## Stock labels (crates/label): the words printed on a device's label.

# The device's storage after its make and model.
label-storage = { $gb } GB
# The listing grade's words read alone ("Very good"), which leaves room on a small label.
label-grade = { $grade }
# A grade that covers only part of the checklist.
label-grade-partial = { $grade } (partial)
label-not-graded = Not graded
# $soh is already a percentage ("86%").
label-battery = Battery { $soh }
label-imei = IMEI { $imei }
label-serial = S/N { $serial }
# A device the grade does not let go on sale as it is shows its outcome instead of a grade.
label-outcome-repair = Repair first
label-outcome-hold = On hold
label-outcome-recycle = Recycle
label-outcome-blocked = Blocked
