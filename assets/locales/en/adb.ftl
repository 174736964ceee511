## Reading Android phones over ADB (USB debugging), through the adb server.
adb-unauthorized = the phone { $serial } has not accepted this computer yet: accept the USB debugging prompt on the phone (tick "Always allow from this computer"), then start again; nothing was recorded
adb-missing = no phone { $serial } is attached to the adb server on { $address }; plug it in with USB debugging on, then start again
adb-unplugged = the phone { $serial } went away during the reading; nothing was recorded — plug it back in and start again
adb-not-ready = the phone { $serial } did not come online (the adb server says { $state }); unlock it, check its cable, then start again
adb-no-server = no adb server answers on { $address }; start one with "adb start-server", or name the right one in REFURBDESK_ADB_SERVER (host:port)
adb-server-failed = the adb server on { $address } failed: { $reason }
adb-bad-server = "{ $value }" names no adb server; give host:port, e.g. 127.0.0.1:5037

## Listing the USB devices (direct devices).
usb-permission = { $count } USB devices could not be opened: this user has no permission on /dev/bus/usb. Install the udev rule { $rule }: sudo cp { $rule } /etc/udev/rules.d/ && sudo udevadm control --reload && sudo udevadm trigger, then unplug and plug the devices again (docs/direct-usb.md)
usb-unavailable = the USB buses cannot be listed on this machine ({ $reason }); without /dev/bus/usb (as in a container) no device is seen
