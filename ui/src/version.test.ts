import { describe, expect, it } from 'vitest';
import packageJson from '../package.json';
import workspaceCargoToml from '../../Cargo.toml?raw';
import { BUILD_VERSION, formatVersion, isInsideTauri } from './version';

function workspacePackageVersion(cargoToml: string): string | undefined {
  const section = cargoToml.split(/^\[workspace\.package\]\s*$/m)[1]?.split(/^\[/m)[0];
  return section?.match(/^version\s*=\s*"([^"]+)"/m)?.[1];
}

describe('version', () => {
  it('injects the package.json version at build time', () => {
    expect(BUILD_VERSION).toBe(packageJson.version);
  });

  it('matches the Rust workspace version, so the window and the header agree', () => {
    expect(workspacePackageVersion(workspaceCargoToml)).toBe(packageJson.version);
  });

  it('prefixes a bare version with v once', () => {
    expect(formatVersion('0.1.0')).toBe('v0.1.0');
    expect(formatVersion('v0.1.0')).toBe('v0.1.0');
    expect(formatVersion(' 1.2.3 ')).toBe('v1.2.3');
  });

  it('knows it is not inside Tauri in a plain DOM', () => {
    expect(isInsideTauri()).toBe(false);
  });
});
