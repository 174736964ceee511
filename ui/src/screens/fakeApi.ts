// A fake `Api` for the screens' component tests: every command a test does not give rejects,
// so a screen calling something unexpected fails loudly instead of hanging.
import type { Api, WindowError } from '../api';

export function fakeApi(overrides: Partial<Api> = {}): Api {
  const missing = (name: string) => () =>
    Promise.reject<never>({
      code: 'data',
      message: `the test gave no ${name}`,
      hint: null,
      details: null,
    } satisfies WindowError);
  const base: Record<string, unknown> = {};
  const names: (keyof Api)[] = [
    'stationInfo',
    'devicesList',
    'siteName',
    'siteDevicesList',
    'devicesShow',
    'gradeOpenQuestions',
    'gradeRecord',
    'eraseDrive',
    'eraseCancel',
    'documentsIssue',
    'documentsReport',
    'documentsVerify',
    'documentsVoid',
    'documentsList',
    'documentsExport',
    'documentsKeys',
    'documentsRotateKey',
    'documentsExportKey',
    'settingsList',
    'settingsSet',
    'operatorsList',
    'operatorsAdd',
    'operatorsDisable',
    'operatorsEnable',
    'documentsExportCancel',
    'statsDashboard',
    'serialPorts',
    'sessionStatus',
    'sessionLogin',
    'sessionCreateFirstAdmin',
    'sessionLock',
    'labelPrint',
    'lockConfirm',
    'qaDraw',
    'qaList',
    'qaVerify',
    'documentsOpen',
    'eraseManualPlan',
    'eraseManualAnswer',
    'photosAdd',
    'photosList',
    'photosRead',
    'syncStatus',
    'syncRetry',
    'syncCancel',
    'ship',
    'marketplaceSettings',
    'marketplaceConfigure',
    'marketplaceVerdict',
  ];
  for (const name of names) base[name] = missing(name);
  base.onProgress = () => Promise.resolve(() => {});
  base.onEraseStarted = () => Promise.resolve(() => {});
  return { ...(base as unknown as Api), ...overrides };
}

/** A promise with its resolve and reject in hand, to decide when a fake command answers. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}
