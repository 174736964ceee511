// A fake shell for screen tests: every command answers from the overrides given, and any other
// command fails loudly, so a screen calling something unexpected is caught.
import type { Api } from '../api';

export type Calls = Array<{ command: keyof Api; params: unknown }>;

export function fakeApi(overrides: Partial<Api>, calls: Calls = []): Api {
  return new Proxy({} as Api, {
    get(_target, property: string) {
      const command = property as keyof Api;
      const given = overrides[command] as ((params?: unknown) => unknown) | undefined;
      if (command === 'onProgress' || command === 'onEraseStarted') {
        return given ?? (() => Promise.resolve(() => undefined));
      }
      return (params?: unknown) => {
        calls.push({ command, params });
        if (given === undefined) {
          return Promise.reject({ code: 'data', message: `unexpected command ${command}`, hint: null, details: null });
        }
        return Promise.resolve(given(params));
      };
    },
  });
}
