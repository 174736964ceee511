# The quality screen (ui/src/keys/quality.ts lists its keys).
