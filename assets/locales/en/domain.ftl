# Intake verdicts (crates/domain): battery, locks, device categories.

## Device categories as they read inside a sentence; the noun alone is the
## text after the article.
device-category-phone = a phone
device-category-tablet = a tablet
device-category-laptop = a laptop
device-category-desktop = a desktop
device-category-monitor = a monitor

## Battery findings. Percentages and numbers arrive already written.
# $needing: the category with its article, capitalised ("A phone").
battery-missing-failure = No battery was found. { $needing } needs one, so this counts as a failure: fit a battery before sale.
battery-missing-normal = No battery was found, which is normal for { $category }; this is not a failure.
battery-zero-design-capacity = The design capacity was reported as 0 { $unit }, so health cannot be computed from the { $unit } capacities.
battery-figures-disagree = The bench reported { $reported } battery health, but the capacities give { $computed } ({ $full } of { $design } { $unit }), a difference of { $difference } points; the computed value is used.
battery-device-figure-only = Battery health { $reported } is the device's own figure: the bench sent no capacities to check it against.
battery-healthy = Battery health is { $health }, at or above the { $threshold } this sales channel needs.
battery-below-threshold = Battery health is { $health }, below the { $threshold } this sales channel needs: replace the battery before sale.
battery-worn-out = Battery health is { $health }, below { $consumed }: the battery is worn out and must be replaced.
battery-no-health-figures = The battery is present, but neither its capacities nor a health figure were reported; an operator must check its health.
battery-cycles-above-mark = { $cycles } charge cycles is above the { $limit }-cycle mark for { $family }.
# Battery families of assets/battery-cycle-limits.toml (`family = …`), completing battery-cycles-above-mark.
battery-family-typical-lithium-ion = a typical lithium-ion battery
battery-family-iphone-15-and-later = iPhone 15 and later
battery-family-iphone-14-and-older = iPhone 14 and older
battery-family-ipad = iPad
battery-family-macbook = MacBook
battery-cycles-not-reported = The charge cycle count was not reported.
# A health that even four decimals would round up to its limit.
battery-just-under = just under { $limit }

## Lock findings.
lock-activation-locked = Activation lock is on (Find My or Factory Reset Protection) — cannot be valued or sold until the customer turns it off.
lock-activation-unread = The activation lock state could not be read — an operator must confirm it is off.
# $account: one of the account-* names.
lock-signed-in = Device is signed in to { $account } — cannot be valued or sold until the customer removes it.
lock-account-unread = Whether the device is signed in to an account could not be read — an operator must confirm it is signed out.
lock-mdm-enrolled = Device is enrolled in remote management (MDM) — cannot be valued or sold until the organisation that manages it releases it.
lock-mdm-unread = Remote management (MDM) enrolment could not be read — an operator must confirm the device is not enrolled.
lock-none = No activation lock, account sign-in or remote management was found.
lock-carrier-locked = Carrier lock is on: the device works only with its original network. This is recorded for pricing and does not block the sale.
lock-carrier-unread = The carrier lock state could not be read; this is recorded for information and does not block the sale.

## Accounts as named in a sentence.
account-icloud = an iCloud account
account-google = a Google account
account-samsung = a Samsung account
account-xiaomi = a Xiaomi account
account-other = an account

## IMEI checks. $imei is the IMEI as read (quoted when it holds other characters).
imei-reread = re-read it from the device (dial *#06#)
imei-empty = The IMEI is empty; an IMEI has { $length } digits — { imei-reread }.
imei-not-digits = IMEI { $imei } contains characters other than digits; an IMEI has { $length } digits — { imei-reread }.
imei-wrong-length = IMEI { $imei } has { $digits } digits; an IMEI has { $length } — { imei-reread }.
imei-check-digit = IMEI { $imei } fails its Luhn check digit (expected { $expected }) — { imei-reread }; if it still fails, the IMEI may have been altered.
imei-malformed = IMEI { $imei } is not { $length } digits — { imei-reread }.
