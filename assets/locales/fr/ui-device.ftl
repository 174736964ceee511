# The device screen (ui/src/keys/device.ts lists its keys).
