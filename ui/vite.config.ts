import { defineConfig } from 'vitest/config';
import packageJson from './package.json';

export default defineConfig({
  // Tauri loads ui/dist from disk, so asset URLs must not assume a server root.
  base: './',
  clearScreen: false,
  define: {
    __APP_VERSION__: JSON.stringify(packageJson.version),
  },
  // No React plugin: esbuild's automatic JSX runtime is all the TSX needs.
  esbuild: {
    jsx: 'automatic',
    // Non-ASCII characters written as \u escapes: a script with even one character past U+00FF
    // is held by the webview as 16-bit text, twice the memory of the same script in 8 bits.
    charset: 'ascii',
  },
  server: {
    // The repository root, so the version test can read the workspace Cargo.toml.
    fs: { allow: ['..'] },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The oldest webviews Tauri 2 supports: WebView2 (Chromium) and WebKit.
    target: ['es2021', 'chrome105', 'safari15'],
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test/setup.ts'],
  },
});
