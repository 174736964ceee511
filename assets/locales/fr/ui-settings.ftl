# The settings screen (ui/src/keys/settings.ts lists its keys).
