## Messages of the application layer, told in the language of the person reading them (the
## window's language, or the command line's --lang).

## A technician's answer over a bench test that failed.
grade-override = checklist item { $item }: the bench said fail, you answered { $answer }; both are kept
grade-override-history = { $item }: bench fail, answered { $answer } by { $operator }

## Errors the login screen can show.
error-login-no-operator = there is no operator named { $name }
error-login-disabled = operator { $name } is disabled; ask an admin to enable it again
error-login-locked = operator { $name } is locked for { $minutes } minutes after { $count } wrong PINs in a row, until { $until } UTC; try again then, or ask an admin to set a new PIN
error-login-wrong-pin-locked = wrong PIN for { $name }; that is { $count } wrong PINs in a row, so the operator is locked for { $minutes } minutes, until { $until } UTC
error-login-wrong-pin = wrong PIN for { $name } ({ $count } of { $max } wrong in a row; at { $max } the operator is locked for { $minutes } minutes)

## Errors the device screen can show.
error-device-not-found = no device matches { $reference }; give an IMEI, a serial, an intake id or a device id
error-device-no-intake = device { $device } ({ $model }) has no intake to grade
error-grade-incomplete = cannot grade yet: { $missing }
error-grade-items-missing = checklist items not answered: { $items }
error-grade-zones-missing = zones not inspected: { $zones }
error-grade-photo-without-level = a photo of the { $zone } zone was given, but the zone has no level
