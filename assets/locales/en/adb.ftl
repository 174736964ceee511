## Reading Android phones over ADB (USB debugging), through the adb server.
adb-unauthorized = the phone { $serial } has not accepted this computer yet: accept the USB debugging prompt on the phone (tick "Always allow from this computer"), then start again; nothing was recorded
adb-missing = no phone { $serial } is attached to the adb server on { $address }; plug it in with USB debugging on, then start again
adb-unplugged = the phone { $serial } went away during the reading; nothing was recorded — plug it back in and start again
adb-not-ready = the phone { $serial } did not come online (the adb server says { $state }); unlock it, check its cable, then start again
adb-no-server = no adb server answers on { $address }; start one with "adb start-server", or name the right one in REFURBDESK_ADB_SERVER (host:port)
adb-server-failed = the adb server on { $address } failed: { $reason }
adb-bad-server = "{ $value }" names no adb server; give host:port, e.g. 127.0.0.1:5037

## Reading Android phones directly, without the adb server (the workstation's own ADB key).
adb-no-key-place = there is no home directory to keep the workstation's ADB key in; name the key file with --adb-key FILE (or set ANDROID_USER_HOME)
adb-key-failed = the workstation's ADB key { $path } cannot be used: { $reason }
adb-bad-usb = "{ $value }" names no USB device; give usb:BUS-ADDRESS as lsusb shows them, e.g. usb:1-4
adb-direct-missing = no phone with USB debugging and the serial { $serial } is on the USB buses, and no adb server runs; plug it in with USB debugging on (or give its address, HOST:PORT, for wireless debugging), then start again
adb-direct-unreachable = the phone { $device } cannot be reached: { $reason }; nothing was recorded
adb-direct-failed = the phone could not be read directly: { $reason }; nothing was recorded
adb-bad-prompt-wait = the wait for the phone's prompt must be between 1,000 and 600,000 ms, not { $value }

## Listing the USB devices (direct devices).
usb-permission = { $count } USB devices could not be opened: this user has no permission on /dev/bus/usb. Install the udev rule { $rule }: sudo cp { $rule } /etc/udev/rules.d/ && sudo udevadm control --reload && sudo udevadm trigger, then unplug and plug the devices again (docs/direct-usb.md)
usb-unavailable = the USB buses cannot be listed on this machine ({ $reason }); without /dev/bus/usb (as in a container) no device is seen

## Direct USB devices as station slots (the slot's note to the operator).
usb-slot-unauthorized = accept the USB debugging prompt on the phone (tick "Always allow from this computer"); it is read as soon as it is accepted
usb-slot-waiting = the adb server says { $state }; waiting for the phone to come online (unlock it, check its cable)
usb-slot-no-debugging = a { $vendor } phone without USB debugging: turn on USB debugging (Settings, Developer options) to read it
usb-slot-apple = an Apple device: install libimobiledevice-utils (and usbmuxd) so the station reads it in its slot
usb-slot-permission = this device cannot be opened: no permission on /dev/bus/usb; install the udev rule { $rule }, then plug it again
usb-slot-gave-up = could not be read after { $attempts } attempts: { $reason }; unplug it and plug it again to try again

## The laptop agent's intake files.
agent-no-file = there is no intake file { $file }; write it on the laptop with the agent, then copy it here
agent-bad-file = this intake file cannot be recorded: { $reason }
agent-no-identity = the laptop of { $file } gave neither its make nor its model (DMI unreadable); nothing was recorded
agent-already-recorded = { $file } is already recorded, as intake { $intake }: an agent file is recorded once; run the agent on the laptop again for a new reading

## iPhones and iPads through libimobiledevice's tools.
ios-no-tools = { $tool } is not installed: install the package { $package } (apt-get install { $package }), plug the device in, unlock it and trust this computer, then start again
ios-tool-failed = { $tool } could not read the device: { $reason }; check that it is plugged in, unlocked and trusts this computer; nothing was recorded
ios-unreadable = what the device { $udid } answered cannot be read ({ $reason }); nothing was recorded
