import { getVersion } from '@tauri-apps/api/app';

/** The version ui/package.json had when this bundle was built. */
export const BUILD_VERSION: string = __APP_VERSION__;

/** True when the page runs inside the Tauri shell rather than a plain browser or test DOM. */
export function isInsideTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

/** Shows a bare semver as `v1.2.3`, leaving an already prefixed version alone. */
export function formatVersion(version: string): string {
  const trimmed = version.trim();
  return trimmed.startsWith('v') ? trimmed : `v${trimmed}`;
}

/**
 * The version of the running app: the shell's own version inside Tauri (it is
 * the one that was installed), the build-time version elsewhere or when the
 * shell cannot be asked.
 */
export async function loadAppVersion(): Promise<string> {
  if (!isInsideTauri()) {
    return BUILD_VERSION;
  }
  try {
    return await getVersion();
  } catch {
    return BUILD_VERSION;
  }
}
