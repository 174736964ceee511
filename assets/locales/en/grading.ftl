# Grading (crates/grading): cosmetic words, grades and the reasons of the
# shipped policy (assets/policies/). A policy names a reason by its id
# (reason_id) and a grade's sentence by [grade_ids]. A reason's arguments are
# the policy placeholders: $soh $threshold $failed $zones $level $unanswered
# $repairs $cycles $cycle_limit $category $device.

## Cosmetic levels, as a noun phrase in a sentence ("the screen has …").
cosmetic-level-flawless = no marks
cosmetic-level-micro = micro-scratches invisible at 20 cm
cosmetic-level-light = light marks invisible at 50 cm
cosmetic-level-visible = visible scratches or dents
cosmetic-level-cracked = a crack

## Zones: the name in a reason ("marks on the screen and back": English
## sentences bring the article) and as an item still to inspect.
zone-screen = screen
    .to-inspect = the screen zone
zone-back = back
    .to-inspect = the back zone
zone-frame = frame
    .to-inspect = the frame zone
zone-lid = lid
    .to-inspect = the lid zone
zone-deck = deck
    .to-inspect = the deck zone
zone-keyboard = keyboard
    .to-inspect = the keyboard zone
zone-bottom = bottom
    .to-inspect = the bottom zone
zone-housing = housing
    .to-inspect = the housing zone
zone-stand = stand
    .to-inspect = the stand zone

## Listing grades as people write them.
listing-grade-premium = Premium
listing-grade-excellent = Excellent
listing-grade-very-good = Very good
listing-grade-good = Good
listing-grade-fair = Fair
listing-grade-stallone = Stallone

## The last reason of every grade: its title and what it means.
grade-reason = { $title }: { $sentence }
# A partial grade; $count is the number of things still to check.
grade-partial = This is a partial grade: { $missing } { $count ->
        [1] was
       *[other] were
    } not checked yet, so the grade covers only what is known.

# The last reason of a partial grade: the grade it cannot exceed, and what is
# still to check ($missing), instead of the grade's sentence.
grade-at-best = At best { $grade }, an upper bound and not a grade yet: not yet checked: { $missing }. Only what was checked is stated.

## What each grade of the shipped policy means.
grade-sentence-premium = no marks at all, original parts and a battery that passes its health check.
grade-sentence-excellent = micro-scratches at most, invisible at 20 cm, and none on the screen.
grade-sentence-very-good = micro-scratches at most, invisible at 20 cm, including on the screen.
grade-sentence-good = light marks at most, invisible at 50 cm, and no scratches on the screen.
grade-sentence-fair = visible scratches or dents on the body at most, and light scratches on the screen at most.
grade-sentence-stallone = heavy signs of use: visible scratches on the screen, or a crack that was repaired. Every function was checked.

## The reasons of the shipped policy, by rule.
reason-lock-blocked = The device is locked to an account or enrolled in remote management: it cannot be valued or sold until the owner removes the lock.
reason-lock-unknown = The lock state could not be read completely: an operator must confirm that no account or remote-management lock is on before the device is sold.
reason-imei-invalid = The IMEI read from the device fails its check digit: an operator must read it again (dial *#06#) before the device is sold.
reason-checklist-incomplete = Not everything was checked yet ({ $unanswered }): the device is held until it is.
reason-battery-missing = No battery was found and a { $category } needs one: a new battery will be fitted before sale, so the device cannot be Premium.
reason-battery-unknown = The battery's health could not be read: an operator must check it before sale.
reason-battery-below-threshold = Battery health is { $soh }%, below the { $threshold }% this channel requires: the battery will be replaced before sale, so the device cannot be Premium.
reason-battery-cycles-above-mark = The battery has been through { $cycles } charge cycles, more than the { $cycle_limit } its maker rates it for; its health figure still decides.
reason-liquid-damage = The liquid-damage indicators have been triggered: corrosion makes the device beyond economic repair.
reason-functional-failed = These checks did not pass: { $failed }. They will be repaired before sale.
reason-integrity-incomplete = Pieces are missing ({ $failed }): they will be fitted before sale.
reason-parts-not-genuine = Some parts are not the maker's originals, so the device cannot be Premium.
reason-accessories-charger-missing = The { $failed } is missing; a { $category } is sold with one, so a compatible one will be supplied before sale.
reason-cosmetic-not-flawless = Marks on the { $zones } ({ $level }): Premium needs a device with no marks at all.
reason-screen-micro = The screen has { $level }: Excellent needs a screen with no scratches.
reason-body-light = Marks on the { $zones } ({ $level }): Excellent and Very good allow micro-scratches at most.
reason-screen-and-body-worn = Marks on the { $zones }, including scratches on the screen: Good needs a screen with no scratches.
reason-screen-light = The screen has { $level }: Good needs a screen with no scratches.
reason-body-visible = Marks on the { $zones } ({ $level }): Good allows marks invisible at 50 cm at most.
reason-screen-visible = The screen has { $level }: Fair allows light screen scratches at most.
reason-screen-cracked = The screen is cracked: it will be replaced before sale, and the device is listed as Stallone.
reason-body-cracked = A crack on the { $zones }: the part will be replaced before sale, and the device is listed as Stallone.
reason-repairs-too-many = { $repairs } separate repairs would be needed: the device is beyond economic repair.
reason-carrier-locked = The device works only with its original mobile network; this is noted for pricing and does not stop the sale.
