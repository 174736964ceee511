# Trade-in audit (crates/revision): each adjustment of a revised quote, told from its rule and
# the inputs it compared. $amount is what comes off, $basis the policy's amount per unit (both
# already written as money or a percentage), $declared and $found what the rule compared.

# A sum of money: $amount has the decimal separator already, $currency is ISO 4217 ("EUR").
revision-money = { $amount } { $currency }

revision-model-requote = Declared { $declared }, found { $found }: the device must be quoted again
revision-model = Declared { $declared }, found { $found }: −{ $amount }
revision-storage-requote = Declared { $declared } GB, found { $found } GB: the device must be quoted again
revision-storage = Declared { $declared } GB, found { $found } GB: −{ $amount }
revision-grade-step = Declared { $declared }, found { $found }: { $steps ->
        [one] one grade step
       *[other] { $steps } grade steps
    } at { $basis } each: −{ $amount }
# $category is the device's kind with its article: "a laptop".
revision-accessory-mandatory = Missing { $accessory }, which { $category } must come with: −{ $amount }
revision-accessory-optional = Declared but missing: { $accessory }: −{ $amount }
revision-battery-replace = Battery to replace: −{ $amount }
revision-battery-consumed = Battery worn out: −{ $amount }
# $item is the checklist item's label ("touchscreen").
revision-function-failed = Failed check: { $item }: −{ $amount }
revision-lock-blocked-return = Locked: returned to the customer, nothing is paid for a locked device: −{ $amount }
revision-lock-blocked-hold = Locked: held until the customer removes the lock, nothing is paid while it is locked: −{ $amount }
revision-lock-unknown-return = The lock could not be read: returned to the customer: −{ $amount }
revision-lock-unknown-hold = The lock could not be read: held until it can be, nothing is paid meanwhile: −{ $amount }
# A rule the price floor stopped short: $sentence is the adjustment told, $asked what the rule asked.
revision-floor-reached = { $sentence } (the rule asked { $asked }; the price floor stops it there)

## Accessories inside a sentence, with their article.
revision-accessory-charger = the charger
revision-accessory-cable = the cable
revision-accessory-box = the box
revision-accessory-stylus = the stylus
revision-accessory-keyboard = the keyboard
revision-accessory-mouse = the mouse

## What becomes of a device and its quote.
revision-disposition-accept = Accepted as quoted
revision-disposition-readjusted = Quote readjusted
revision-disposition-return = Returned to the customer
revision-disposition-hold = Held until unlocked
revision-requote = To be quoted again
