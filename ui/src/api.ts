// The desktop shell's commands, typed with the bindings generated from the Rust application layer
// (ui/src/bindings). Screens receive an `Api` so their logic is tested without a window; inside the
// shell the `tauriApi` below calls the real commands. Every failure is a `WindowError`.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { FirstAdminParams } from './bindings/FirstAdminParams';
import type { LabelParams } from './bindings/LabelParams';
import type { LabelPrinted } from './bindings/LabelPrinted';
import type { LockConfirmParams } from './bindings/LockConfirmParams';
import type { LockConfirmed } from './bindings/LockConfirmed';
import type { LoginParams } from './bindings/LoginParams';
import type { SessionInfo } from './bindings/SessionInfo';
import type { SessionStatus } from './bindings/SessionStatus';
import type { QaDrawParams } from './bindings/QaDrawParams';
import type { QaDrawn } from './bindings/QaDrawn';
import type { QaList } from './bindings/QaList';
import type { QaVerified } from './bindings/QaVerified';
import type { QaVerifyParams } from './bindings/QaVerifyParams';
import type { AddOperatorParams } from './bindings/AddOperatorParams';
import type { DeviceDetail } from './bindings/DeviceDetail';
import type { DeviceShowParams } from './bindings/DeviceShowParams';
import type { DevicesPage } from './bindings/DevicesPage';
import type { DevicesParams } from './bindings/DevicesParams';
import type { SiteDevicesPage } from './bindings/SiteDevicesPage';
import type { DocumentSummary } from './bindings/DocumentSummary';
import type { DriveErasure } from './bindings/DriveErasure';
import type { DriveParams } from './bindings/DriveParams';
import type { EraseStarted } from './bindings/EraseStarted';
import type { ExportKeyParams } from './bindings/ExportKeyParams';
import type { ExportParams } from './bindings/ExportParams';
import type { ExportResult } from './bindings/ExportResult';
import type { ExportedKey } from './bindings/ExportedKey';
import type { GradeOutcome } from './bindings/GradeOutcome';
import type { GradeParams } from './bindings/GradeParams';
import type { IssueParams } from './bindings/IssueParams';
import type { Keys } from './bindings/Keys';
import type { ListParams } from './bindings/ListParams';
import type { OpenQuestions } from './bindings/OpenQuestions';
import type { OpenQuestionsParams } from './bindings/OpenQuestionsParams';
import type { OperatorAdded } from './bindings/OperatorAdded';
import type { OperatorInfo } from './bindings/OperatorInfo';
import type { OperatorNameParams } from './bindings/OperatorNameParams';
import type { ProgressReport } from './bindings/ProgressReport';
import type { ReportParams } from './bindings/ReportParams';
import type { RotatedKey } from './bindings/RotatedKey';
import type { SetSettingParams } from './bindings/SetSettingParams';
import type { Setting } from './bindings/Setting';
import type { SettingValue } from './bindings/SettingValue';
import type { StationInfo } from './bindings/StationInfo';
import type { StationStarted } from './bindings/StationStarted';
import type { Verification } from './bindings/Verification';
import type { VerifyParams } from './bindings/VerifyParams';
import type { VoidParams } from './bindings/VoidParams';
import type { WindowError } from './bindings/WindowError';
import type { Dashboard } from './bindings/Dashboard';
import type { DashboardParams } from './bindings/DashboardParams';
import type { ExportCancel } from './bindings/ExportCancel';
import type { SerialPortView } from './bindings/SerialPortView';
import type { DocumentFile } from './bindings/DocumentFile';
import type { DocumentFileParams } from './bindings/DocumentFileParams';
import type { ManualAnswerParams } from './bindings/ManualAnswerParams';
import type { ManualPlan } from './bindings/ManualPlan';
import type { ManualPlanParams } from './bindings/ManualPlanParams';
import type { ManualReset } from './bindings/ManualReset';
import type { AddPhotoParams } from './bindings/AddPhotoParams';
import type { PhotoData } from './bindings/PhotoData';
import type { PhotoListParams } from './bindings/PhotoListParams';
import type { PhotoReadParams } from './bindings/PhotoReadParams';
import type { PhotoRecord } from './bindings/PhotoRecord';
import type { AddCustomerParams } from './bindings/AddCustomerParams';
import type { AccessoriesParams } from './bindings/AccessoriesParams';
import type { AccessoriesRecorded } from './bindings/AccessoriesRecorded';
import type { AuditParams } from './bindings/AuditParams';
import type { BatchAudit } from './bindings/BatchAudit';
import type { BatchRef } from './bindings/BatchRef';
import type { CloseParams } from './bindings/CloseParams';
import type { BatchStatus } from './bindings/BatchStatus';
import type { BatchSummary } from './bindings/BatchSummary';
import type { CustomerRecord } from './bindings/CustomerRecord';
import type { ImportBatchParams } from './bindings/ImportBatchParams';
import type { ImportedBatch } from './bindings/ImportedBatch';
import type { Receipt } from './bindings/Receipt';
import type { ReceiveParams } from './bindings/ReceiveParams';
import type { RequoteParams } from './bindings/RequoteParams';
import type { BatchCertificates } from './bindings/BatchCertificates';
import type { BatchCertificatesParams } from './bindings/BatchCertificatesParams';
import type { BatchExported } from './bindings/BatchExported';
import type { BatchExportParams } from './bindings/BatchExportParams';
import type { BatchReportParams } from './bindings/BatchReportParams';
import type { SyncEntry } from './bindings/SyncEntry';
import type { SyncEntryParams } from './bindings/SyncEntryParams';
import type { SyncStatus } from './bindings/SyncStatus';
import type { ShipParams } from './bindings/ShipParams';
import type { Shipment } from './bindings/Shipment';
import type { ConfigureMarketplaceParams } from './bindings/ConfigureMarketplaceParams';
import type { MarketplaceConfigured } from './bindings/MarketplaceConfigured';
import type { MarketplaceSettings } from './bindings/MarketplaceSettings';
import type { VerdictParams } from './bindings/VerdictParams';
import type { VerdictQueued } from './bindings/VerdictQueued';

export type { WindowError };

/** Stops following events. */
export type Unlisten = () => void;

/** Every command the screens call. */
export interface Api {
  stationInfo(): Promise<StationInfo>;
  /**
   * Starts the window's station on the benches the settings name (`station.ports`), the simulated
   * ones too when `simulate`; null when one already runs.
   */
  startStation(simulate: boolean): Promise<StationStarted | null>;
  /** Stops the window's station (its tiles stay as they last were). */
  stopStation(): Promise<void>;
  devicesList(params: DevicesParams): Promise<DevicesPage>;
  /** The site database this station replicates to (no password), or null when it has none. */
  siteName(): Promise<string | null>;
  /** The quality list of every station, read from the site database. */
  siteDevicesList(params: DevicesParams): Promise<SiteDevicesPage>;
  devicesShow(params: DeviceShowParams): Promise<DeviceDetail>;
  gradeOpenQuestions(params: OpenQuestionsParams): Promise<OpenQuestions>;
  gradeRecord(params: GradeParams): Promise<GradeOutcome>;
  eraseDrive(params: DriveParams): Promise<DriveErasure>;
  eraseCancel(): Promise<void>;
  documentsIssue(params: IssueParams): Promise<DocumentSummary>;
  documentsReport(params: ReportParams): Promise<DocumentSummary>;
  documentsVerify(params: VerifyParams): Promise<Verification>;
  documentsVoid(params: VoidParams): Promise<DocumentSummary>;
  documentsList(params: ListParams): Promise<DocumentSummary[]>;
  documentsExport(params: ExportParams): Promise<ExportResult>;
  documentsKeys(): Promise<Keys>;
  documentsRotateKey(): Promise<RotatedKey>;
  documentsExportKey(params: ExportKeyParams): Promise<ExportedKey>;
  settingsList(): Promise<Setting[]>;
  settingsSet(params: SetSettingParams): Promise<SettingValue>;
  operatorsList(): Promise<OperatorInfo[]>;
  operatorsAdd(params: AddOperatorParams): Promise<OperatorAdded>;
  operatorsDisable(params: OperatorNameParams): Promise<OperatorInfo>;
  operatorsEnable(params: OperatorNameParams): Promise<OperatorInfo>;
  /** Long work's progress (`erase`, `export`…), as it happens. */
  onProgress(handler: (report: ProgressReport) => void): Promise<Unlisten>;
  /** An erasure was recorded `running`, before its first byte. */
  onEraseStarted(handler: (started: EraseStarted) => void): Promise<Unlisten>;
  /** Stops the running export after the document it is writing. */
  documentsExportCancel(): Promise<ExportCancel>;
  /** The quality dashboard's figures for a period. */
  statsDashboard(params: DashboardParams): Promise<Dashboard>;
  /** The serial ports found on this machine. */
  serialPorts(): Promise<SerialPortView[]>;
  /** Whether the station asks for PINs, and who it opens as when it does not. */
  sessionStatus(): Promise<SessionStatus>;
  sessionLogin(params: LoginParams): Promise<SessionInfo>;
  sessionCreateFirstAdmin(params: FirstAdminParams): Promise<SessionInfo>;
  /** Locks the window: nobody acts until someone logs in again. */
  sessionLock(): Promise<void>;
  /** Prints the device's stock label to a PDF or ZPL file or a label printer. */
  labelPrint(params: LabelParams): Promise<LabelPrinted>;
  /** Confirms a lock the bench could not settle, and grades the device again. */
  lockConfirm(params: LockConfirmParams): Promise<LockConfirmed>;
  /** Verification sampling: draw a share of verified erasures, the queue, a re-check. */
  qaDraw(params: QaDrawParams): Promise<QaDrawn>;
  qaList(): Promise<QaList>;
  qaVerify(params: QaVerifyParams): Promise<QaVerified>;
  /** Opens an issued document's PDF (from the documents folder) in the system's viewer. */
  documentsOpen(params: DocumentFileParams): Promise<DocumentFile>;
  /** The steps of a phone's or tablet's factory reset by hand, in a language. */
  eraseManualPlan(params: ManualPlanParams): Promise<ManualPlan>;
  /** Records a manual reset from every step's answer. */
  eraseManualAnswer(params: ManualAnswerParams): Promise<ManualReset>;
  /** Keeps a photo of a device's zone (PNG or JPEG bytes, checked by the engine). */
  photosAdd(params: AddPhotoParams): Promise<PhotoRecord>;
  customersAdd(params: AddCustomerParams): Promise<CustomerRecord>;
  customersList(): Promise<CustomerRecord[]>;
  batchesImport(params: ImportBatchParams): Promise<ImportedBatch>;
  batchesReceive(params: ReceiveParams): Promise<Receipt>;
  batchesStatus(params: BatchRef): Promise<BatchStatus>;
  batchesList(): Promise<BatchSummary[]>;
  batchesRequote(params: RequoteParams): Promise<BatchStatus>;
  batchesAudit(params: AuditParams): Promise<BatchAudit>;
  batchesAccessories(params: AccessoriesParams): Promise<AccessoriesRecorded>;
  batchesClose(params: CloseParams): Promise<BatchStatus>;
  batchesReport(params: BatchReportParams): Promise<DocumentSummary>;
  batchesExport(params: BatchExportParams): Promise<BatchExported>;
  batchesCertificates(params: BatchCertificatesParams): Promise<BatchCertificates>;
  photosList(params: PhotoListParams): Promise<PhotoRecord[]>;
  /** A photo's bytes as a `data:` URL, for its thumbnail. */
  photosRead(params: PhotoReadParams): Promise<PhotoData>;
  /** The marketplace outbox: counts and open entries. */
  syncStatus(): Promise<SyncStatus>;
  syncRetry(params: SyncEntryParams): Promise<SyncEntry>;
  syncCancel(params: SyncEntryParams): Promise<SyncEntry>;
  /** A sellable, erased device ships for a marketplace order line. */
  ship(params: ShipParams): Promise<Shipment>;
  /** The marketplace connection as configured (never its token), or null. */
  marketplaceSettings(): Promise<MarketplaceSettings | null>;
  marketplaceConfigure(params: ConfigureMarketplaceParams): Promise<MarketplaceConfigured>;
  /** Queues the verdict on the marketplace trade-in order a batch was pulled from. */
  marketplaceVerdict(params: VerdictParams): Promise<VerdictQueued>;
}

function call<T>(command: string, params?: unknown): Promise<T> {
  return invoke<T>(command, params === undefined ? {} : { params });
}

/** The real commands of the desktop shell. */
export const tauriApi: Api = {
  stationInfo: () => call('station_info'),
  startStation: (simulate) => invoke<StationStarted | null>('start_station', { simulate }),
  stopStation: () => invoke<void>('stop_station'),
  devicesList: (params) => call('devices_list', params),
  siteName: () => call('site_name'),
  siteDevicesList: (params) => call('site_devices_list', params),
  devicesShow: (params) => call('devices_show', params),
  gradeOpenQuestions: (params) => call('grade_open_questions', params),
  gradeRecord: (params) => call('grade_record', params),
  eraseDrive: (params) => call('erase_drive', params),
  eraseCancel: () => call('erase_cancel'),
  documentsIssue: (params) => call('documents_issue', params),
  documentsReport: (params) => call('documents_report', params),
  documentsVerify: (params) => call('documents_verify', params),
  documentsVoid: (params) => call('documents_void', params),
  documentsList: (params) => call('documents_list', params),
  documentsExport: (params) => call('documents_export', params),
  documentsKeys: () => call('documents_keys'),
  documentsRotateKey: () => call('documents_rotate_key'),
  documentsExportKey: (params) => call('documents_export_key', params),
  settingsList: () => call('settings_list'),
  settingsSet: (params) => call('settings_set', params),
  operatorsList: () => call('operators_list'),
  operatorsAdd: (params) => call('operators_add', params),
  operatorsDisable: (params) => call('operators_disable', params),
  operatorsEnable: (params) => call('operators_enable', params),
  onProgress: (handler) => listen<ProgressReport>('progress', ({ payload }) => handler(payload)),
  onEraseStarted: (handler) => listen<EraseStarted>('erase-started', ({ payload }) => handler(payload)),
  documentsExportCancel: () => call('documents_export_cancel'),
  statsDashboard: (params) => call('stats_dashboard', params),
  serialPorts: () => call('serial_ports'),
  sessionStatus: () => call('session_status'),
  sessionLogin: (params) => call('session_login', params),
  sessionCreateFirstAdmin: (params) => call('session_create_first_admin', params),
  sessionLock: () => call('session_lock'),
  labelPrint: (params) => call('label_print', params),
  lockConfirm: (params) => call('lock_confirm', params),
  qaDraw: (params) => call('qa_draw', params),
  qaList: () => call('qa_list'),
  qaVerify: (params) => call('qa_verify', params),
  documentsOpen: (params) => call('documents_open', params),
  eraseManualPlan: (params) => call('erase_manual_plan', params),
  eraseManualAnswer: (params) => call('erase_manual_answer', params),
  photosAdd: (params) => call('photos_add', params),
  customersAdd: (params) => call('customers_add', params),
  customersList: () => call('customers_list'),
  batchesImport: (params) => call('batches_import', params),
  batchesReceive: (params) => call('batches_receive', params),
  batchesStatus: (params) => call('batches_status', params),
  batchesList: () => call('batches_list'),
  batchesRequote: (params) => call('batches_requote', params),
  batchesAudit: (params) => call('batches_audit', params),
  batchesAccessories: (params) => call('batches_accessories', params),
  batchesClose: (params) => call('batches_close', params),
  batchesReport: (params) => call('batches_report', params),
  batchesExport: (params) => call('batches_export', params),
  batchesCertificates: (params) => call('batches_certificates', params),
  photosList: (params) => call('photos_list', params),
  photosRead: (params) => call('photos_read', params),
  syncStatus: () => call('sync_status'),
  syncRetry: (params) => call('sync_retry', params),
  syncCancel: (params) => call('sync_cancel', params),
  ship: (params) => call('ship', params),
  marketplaceSettings: () => call('marketplace_settings'),
  marketplaceConfigure: (params) => call('marketplace_configure', params),
  marketplaceVerdict: (params) => call('marketplace_verdict', params),
};

/** True for the `{code, message, hint}` the shell sends on failure. */
export function isWindowError(value: unknown): value is WindowError {
  return (
    typeof value === 'object' &&
    value !== null &&
    'code' in value &&
    'message' in value &&
    typeof (value as { message: unknown }).message === 'string'
  );
}

/** Any failure as a `WindowError`, so every screen shows errors the same way. */
export function asWindowError(value: unknown): WindowError {
  if (isWindowError(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return { code: 'data', message, hint: null, details: null };
}
