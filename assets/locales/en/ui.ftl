# The station screen (ui/src/i18n.ts). Its keys are these ids with dots and
# capitals: `bench-list-empty-title` is `benchList.emptyTitle`.

app-name = Refurbdesk
app-version-label = Version
station-title = Test station

nav-label = Screens
nav-station = Station
nav-batches = Batches
nav-quality = Quality
nav-settings = Settings
lang-label = Language
lang-en = English
lang-fr = Français
error-dismiss = Dismiss
login-title = Log in
login-name = Operator
login-pin = PIN
login-repeat = PIN again
login-submit = Log in
login-locked = The station locked itself after { $minutes } minutes without use.
login-invite-first-admin = No operator has a PIN yet: anyone at this station acts as its administrator.
login-create-first-admin = Create the first administrator with a PIN
login-logout = Lock
batches-title = Trade-in batches
batches-empty-title = No trade-in batch yet.
batches-empty-hint = Batches received from business customers will be listed here, with their audit progress.

bench-list-label = Benches
bench-list-empty-title = No bench connected.
bench-list-empty-hint = Plug a bench in or start the simulator:
station-controls-start = Start the station
station-controls-start-simulated = Start with the simulated benches
station-controls-stop = Stop the station
station-controls-started-none = Station started with no serial bench: name the benches' ports in Settings, Benches.
station-controls-started-one = Station started on 1 bench.
station-controls-started = Station started on { $benches } benches.
station-controls-already = The station is already running.
station-controls-stopped = Station stopped.

bench-unknown-model = Bench not identified yet
bench-serial = Serial { $serial }
bench-port = Port { $port }
bench-state-connecting = Connecting…
bench-state-ready = Ready
bench-state-disconnected = Disconnected
bench-disconnected-note = Bench unplugged or switched off. Readings already recorded are kept.
bench-no-slots = This bench has not reported its slots yet.

slot-label = Slot { $slot }
slot-no-device = No device
slot-soh = SOH { $soh } %
slot-grade = Grade
slot-state-empty = Empty
slot-state-occupied = Device placed
slot-state-identifying = Identifying device…
slot-state-intake = Testing device…
slot-state-recorded = Recorded
slot-state-failed = Failed
slot-state-erasing = Erasing…
slot-state-unknown = State unknown

verdict-battery-label = Battery
verdict-battery-pass = Good
verdict-battery-replace = Replace
verdict-battery-consumed = Worn out
verdict-battery-unknown = Unknown
verdict-battery-absent = No battery
verdict-battery-pending = Not read yet

verdict-lock-label = Lock
verdict-lock-clear = Clear
verdict-lock-blocked = Blocked
verdict-lock-unknown = Unknown
verdict-lock-pending = Not read yet
