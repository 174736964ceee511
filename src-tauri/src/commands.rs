//! Typed commands the UI invokes: one line each over `refurbdesk_app`; every result is plain
//! serialisable data and every error a `WindowError {code, message, hint}`.
//!
//! Every command that reaches a use case is an `async fn` or `#[tauri::command(async)]`: Tauri
//! runs a plain `fn` command on the main thread, which paints the window and takes its input, so a
//! quality search or a signature would freeze it. Only the three that read the shell's memory stay
//! plain (`scripts/check-invariants` holds this).

use refurbdesk_app::station::{StationBatch, StationInfo, StationParams, StationStarted};
use refurbdesk_app::{DataPaths, WindowError};

use crate::station::{self, StationState};

#[tauri::command]
pub fn station_info(paths: tauri::State<'_, DataPaths>) -> StationInfo {
    refurbdesk_app::station::info(&paths)
}

/// The station as it stands (every bench and slot in its latest state), numbered as its latest
/// change; the UI applies it, then asks `station_changes` for what changed after that number.
#[tauri::command]
pub fn station_history(state: tauri::State<'_, StationState>) -> StationBatch {
    state.snapshot()
}

/// The benches and slots changed after the batch numbered `after`, once something has changed;
/// the UI asks again after applying it, so changes fold into one answer while it is busy. (It
/// cannot fail; the `Result` is what Tauri asks of an async command that borrows its state.)
#[tauri::command]
pub async fn station_changes(
    state: tauri::State<'_, StationState>,
    after: u64,
) -> Result<StationBatch, WindowError> {
    Ok(state.changes_after(after).await)
}

#[tauri::command(async)]
pub fn start_simulated_station(
    app: tauri::AppHandle,
) -> Result<Option<StationStarted>, WindowError> {
    station::start(&app, StationParams::simulated())
}

/// Starts the window's station: the benches on the ports in the settings, the simulated ones too
/// when `simulate`, and the workstation's own USB ports. `None` when one already runs.
#[tauri::command(async)]
pub fn start_station(
    app: tauri::AppHandle,
    paths: tauri::State<'_, DataPaths>,
    simulate: bool,
) -> Result<Option<StationStarted>, WindowError> {
    let params = StationParams::for_window(&paths, simulate).map_err(|error| error.for_window())?;
    station::start(&app, params)
}

#[tauri::command]
pub fn stop_station(state: tauri::State<'_, StationState>) {
    state.stop();
}

// Documents: certificates, reports, verification, export, keys.
use refurbdesk_app::documents::{
    self, DestroyParams, DocumentSummary, ExportKeyParams, ExportParams, ExportResult, ExportedKey,
    IssueParams, Keys, ListParams, ReportParams, RotatedKey, Verification, VerifyParams,
    VoidParams,
};

use crate::calls::{at_station, progress_events, window};

#[tauri::command(async)]
pub fn documents_issue(
    paths: tauri::State<'_, DataPaths>,
    params: IssueParams,
) -> Result<DocumentSummary, WindowError> {
    at_station(&paths, |ws| documents::issue(ws, &params))
}

#[tauri::command(async)]
pub fn documents_report(
    paths: tauri::State<'_, DataPaths>,
    params: ReportParams,
) -> Result<DocumentSummary, WindowError> {
    at_station(&paths, |ws| documents::report(ws, &params))
}

#[tauri::command(async)]
pub fn documents_destroy(
    paths: tauri::State<'_, DataPaths>,
    params: DestroyParams,
) -> Result<DocumentSummary, WindowError> {
    at_station(&paths, |ws| documents::destroy(ws, &params))
}

#[tauri::command(async)]
pub fn documents_verify(
    paths: tauri::State<'_, DataPaths>,
    params: VerifyParams,
) -> Result<Verification, WindowError> {
    documents::verify(&paths, &params).map_err(window)
}

#[tauri::command(async)]
pub fn documents_void(
    paths: tauri::State<'_, DataPaths>,
    params: VoidParams,
) -> Result<DocumentSummary, WindowError> {
    at_station(&paths, |ws| documents::void(ws, &params))
}

#[tauri::command(async)]
pub fn documents_list(
    paths: tauri::State<'_, DataPaths>,
    params: ListParams,
) -> Result<Vec<DocumentSummary>, WindowError> {
    at_station(&paths, |ws| documents::list(ws, &params))
}

/// On a thread of its own, as the running export that `documents_export_cancel` stops.
#[tauri::command]
pub async fn documents_export(
    app: tauri::AppHandle,
    paths: tauri::State<'_, DataPaths>,
    params: ExportParams,
) -> Result<ExportResult, WindowError> {
    let paths = paths.inner().clone();
    on_own_thread(move || {
        let running = app.state::<RunningExport>();
        at_station(&paths, |ws| {
            documents::export_running(ws, &params, &progress_events(&app), &running.0)
        })
    })
    .await
}

#[tauri::command(async)]
pub fn documents_keys(paths: tauri::State<'_, DataPaths>) -> Result<Keys, WindowError> {
    documents::show_keys(&paths).map_err(window)
}

#[tauri::command(async)]
pub fn documents_rotate_key(paths: tauri::State<'_, DataPaths>) -> Result<RotatedKey, WindowError> {
    at_station(&paths, documents::rotate_key)
}

#[tauri::command(async)]
pub fn documents_export_key(
    paths: tauri::State<'_, DataPaths>,
    params: ExportKeyParams,
) -> Result<ExportedKey, WindowError> {
    documents::export_key(&paths, &params).map_err(window)
}

// Grading: the questions still open, recording a grade, checking a policy.
use refurbdesk_app::grade::{self, GradeOutcome, GradeParams, OpenQuestions, OpenQuestionsParams};
use refurbdesk_app::policy::{self, PolicyCheckParams, PolicyCheckReport};

#[tauri::command(async)]
pub fn grade_open_questions(
    paths: tauri::State<'_, DataPaths>,
    params: OpenQuestionsParams,
) -> Result<OpenQuestions, WindowError> {
    at_station(&paths, |ws| grade::open_questions(ws, params))
}

#[tauri::command(async)]
pub fn grade_record(
    paths: tauri::State<'_, DataPaths>,
    station: tauri::State<'_, StationState>,
    params: GradeParams,
) -> Result<GradeOutcome, WindowError> {
    at_station(&paths, |ws| grade::record(ws, params)).inspect(|graded| station.note_grade(graded))
}

#[tauri::command(async)]
pub fn policy_check(params: PolicyCheckParams) -> Result<PolicyCheckReport, WindowError> {
    policy::check(params).map_err(window)
}

// Erasure: drives and image files, phones and tablets on a bench, guided manual resets.
use refurbdesk_app::erase::{
    self, BenchErasure, BenchParams, DriveErasure, DriveParams, EraseStarted, ErasureListing,
    ListErasuresParams, ManualAnswerParams, ManualPlan, ManualPlanParams, ManualReset,
};
use tauri::{Emitter, Manager};

use crate::calls::{on_own_thread, RunningErase, ERASE_STARTED_EVENT};

fn started(app: &tauri::AppHandle) -> impl FnMut(&EraseStarted) + '_ {
    move |started| {
        let _ = app.emit(ERASE_STARTED_EVENT, started);
    }
}

#[tauri::command]
pub async fn erase_drive(
    app: tauri::AppHandle,
    paths: tauri::State<'_, DataPaths>,
    params: DriveParams,
) -> Result<DriveErasure, WindowError> {
    let paths = paths.inner().clone();
    on_own_thread(move || {
        let progress = app.state::<RunningErase>().begin(&app);
        at_station(&paths, |ws| {
            erase::drive(ws, &params, &progress, &mut started(&app))
        })
    })
    .await
}

#[tauri::command]
pub async fn erase_bench(
    app: tauri::AppHandle,
    paths: tauri::State<'_, DataPaths>,
    params: BenchParams,
) -> Result<BenchErasure, WindowError> {
    let paths = paths.inner().clone();
    on_own_thread(move || {
        let progress = app.state::<RunningErase>().begin(&app);
        at_station(&paths, |ws| {
            erase::bench(ws, &params, &progress, &mut started(&app))
        })
    })
    .await
}

#[tauri::command(async)]
pub fn erase_manual_plan(
    paths: tauri::State<'_, DataPaths>,
    params: ManualPlanParams,
) -> Result<ManualPlan, WindowError> {
    at_station(&paths, |ws| erase::manual_plan(ws, &params))
}

/// Records a manual reset from the answers the window collected; a step left unanswered is
/// recorded as the reset stopping there.
#[tauri::command]
pub async fn erase_manual_answer(
    app: tauri::AppHandle,
    paths: tauri::State<'_, DataPaths>,
    params: ManualAnswerParams,
) -> Result<ManualReset, WindowError> {
    let paths = paths.inner().clone();
    on_own_thread(move || {
        let progress = app.state::<RunningErase>().begin(&app);
        at_station(&paths, |ws| {
            erase::manual_answer(ws, &params, &progress, &mut |_| None)
        })
    })
    .await
}

/// The recorded erasures, newest first, filtered as asked.
#[tauri::command(async)]
pub fn erase_list(
    paths: tauri::State<'_, DataPaths>,
    params: ListErasuresParams,
) -> Result<Vec<ErasureListing>, WindowError> {
    at_station(&paths, |ws| erase::list(ws, &params))
}

#[tauri::command(async)]
pub fn erase_cancel(running: tauri::State<'_, RunningErase>) {
    running.cancel();
}

// Settings, operators, devices, the audit log, the database, one intake.
use refurbdesk_app::db::{self, BackupDone, BackupParams, DbCheck, RestoreDone, RestoreParams};
use refurbdesk_app::devices::{self, DeviceDetail, DeviceShowParams, DevicesPage, DevicesParams};
use refurbdesk_app::intake::{self, IntakeDone, IntakeParams};
use refurbdesk_app::operators::{
    self, AddOperatorParams, OperatorAdded, OperatorInfo, OperatorNameParams,
};
use refurbdesk_app::settings::{self, GetSettingParams, SetSettingParams, Setting, SettingValue};
use refurbdesk_app::{audit, audit::AuditVerification};

#[tauri::command(async)]
pub fn settings_list(paths: tauri::State<'_, DataPaths>) -> Result<Vec<Setting>, WindowError> {
    settings::list(&paths).map_err(window)
}

#[tauri::command(async)]
pub fn settings_get(
    paths: tauri::State<'_, DataPaths>,
    params: GetSettingParams,
) -> Result<SettingValue, WindowError> {
    at_station(&paths, |ws| settings::get(ws, params))
}

#[tauri::command(async)]
pub fn settings_set(
    paths: tauri::State<'_, DataPaths>,
    params: SetSettingParams,
) -> Result<SettingValue, WindowError> {
    at_station(&paths, |ws| settings::set(ws, params))
}

#[tauri::command(async)]
pub fn operators_list(
    paths: tauri::State<'_, DataPaths>,
) -> Result<Vec<OperatorInfo>, WindowError> {
    at_station(&paths, |ws| operators::list(ws))
}

#[tauri::command(async)]
pub fn operators_add(
    paths: tauri::State<'_, DataPaths>,
    params: AddOperatorParams,
) -> Result<OperatorAdded, WindowError> {
    at_station(&paths, |ws| operators::add(ws, params))
}

#[tauri::command(async)]
pub fn operators_disable(
    paths: tauri::State<'_, DataPaths>,
    params: OperatorNameParams,
) -> Result<OperatorInfo, WindowError> {
    at_station(&paths, |ws| operators::disable(ws, params))
}

#[tauri::command(async)]
pub fn operators_enable(
    paths: tauri::State<'_, DataPaths>,
    params: OperatorNameParams,
) -> Result<OperatorInfo, WindowError> {
    at_station(&paths, |ws| operators::enable(ws, params))
}

#[tauri::command(async)]
pub fn devices_list(
    paths: tauri::State<'_, DataPaths>,
    params: DevicesParams,
) -> Result<DevicesPage, WindowError> {
    at_station(&paths, |ws| devices::list(ws, params))
}

/// The site this station replicates to, without its password; `None` when it has none (the
/// Quality screen then offers the station's list only).
#[tauri::command(async)]
pub fn site_name(paths: tauri::State<'_, DataPaths>) -> Option<String> {
    refurbdesk_app::site::station_site(&paths)
}

/// The site's quality list, read on a thread of its own: the site is a network round trip away.
#[tauri::command]
pub async fn site_devices_list(
    paths: tauri::State<'_, DataPaths>,
    params: DevicesParams,
) -> Result<refurbdesk_app::site::SiteDevicesPage, WindowError> {
    let paths = paths.inner().clone();
    on_own_thread(move || {
        refurbdesk_app::site::station_site_devices(&paths, params).map_err(window)
    })
    .await
}

#[tauri::command(async)]
pub fn devices_show(
    paths: tauri::State<'_, DataPaths>,
    params: DeviceShowParams,
) -> Result<DeviceDetail, WindowError> {
    at_station(&paths, |ws| devices::show(ws, params))
}

#[tauri::command(async)]
pub fn audit_verify(paths: tauri::State<'_, DataPaths>) -> Result<AuditVerification, WindowError> {
    at_station(&paths, |ws| audit::verify(ws))
}

#[tauri::command(async)]
pub fn db_check(paths: tauri::State<'_, DataPaths>) -> Result<DbCheck, WindowError> {
    at_station(&paths, |ws| db::check(ws))
}

#[tauri::command(async)]
pub fn db_backup(
    paths: tauri::State<'_, DataPaths>,
    params: BackupParams,
) -> Result<BackupDone, WindowError> {
    db::backup(&paths, params).map_err(window)
}

#[tauri::command(async)]
pub fn db_restore(
    paths: tauri::State<'_, DataPaths>,
    params: RestoreParams,
) -> Result<RestoreDone, WindowError> {
    db::restore(
        &paths,
        refurbdesk_app::operator_from_env().as_deref(),
        params,
    )
    .map_err(window)
}

#[tauri::command]
pub async fn intake_run(
    paths: tauri::State<'_, DataPaths>,
    params: IntakeParams,
) -> Result<IntakeDone, WindowError> {
    let paths = paths.inner().clone();
    on_own_thread(move || at_station(&paths, |ws| intake::run(ws, params))).await
}

// Verification sampling: draw, the queue, a re-check.
use refurbdesk_app::qa::{self, QaDrawParams, QaDrawn, QaList, QaVerified, QaVerifyParams};

#[tauri::command(async)]
pub fn qa_draw(
    paths: tauri::State<'_, DataPaths>,
    params: QaDrawParams,
) -> Result<QaDrawn, WindowError> {
    at_station(&paths, |ws| qa::draw(ws, params))
}

#[tauri::command(async)]
pub fn qa_list(paths: tauri::State<'_, DataPaths>) -> Result<QaList, WindowError> {
    at_station(&paths, |ws| qa::list(ws))
}

#[tauri::command]
pub async fn qa_verify(
    app: tauri::AppHandle,
    paths: tauri::State<'_, DataPaths>,
    params: QaVerifyParams,
) -> Result<QaVerified, WindowError> {
    let paths = paths.inner().clone();
    on_own_thread(move || {
        let progress = app.state::<RunningErase>().begin(&app);
        at_station(&paths, |ws| qa::verify(ws, params, &progress))
    })
    .await
}

// Labels: a device's stock label to a PDF or ZPL file, or raw to a label printer (off the
// window's thread: a printer may take seconds to answer).
use refurbdesk_app::label::{self, LabelParams, LabelPrinted};

#[tauri::command]
pub async fn label_print(
    paths: tauri::State<'_, DataPaths>,
    params: LabelParams,
) -> Result<LabelPrinted, WindowError> {
    let paths = paths.inner().clone();
    on_own_thread(move || at_station(&paths, |ws| label::print(ws, &params))).await
}

// The quality screen: stopping an export, the dashboard; the settings screen: serial ports.
use refurbdesk_app::documents::ExportCancel;
use refurbdesk_app::ports::{self, SerialPortView};
use refurbdesk_app::stats::{self, Dashboard, DashboardParams};

/// The export the window is running, if any.
#[derive(Default)]
pub struct RunningExport(pub refurbdesk_app::Running);

#[tauri::command(async)]
pub fn documents_export_cancel(running: tauri::State<'_, RunningExport>) -> ExportCancel {
    documents::export_cancel(&running.0)
}

#[tauri::command(async)]
pub fn stats_dashboard(
    paths: tauri::State<'_, DataPaths>,
    params: DashboardParams,
) -> Result<Dashboard, WindowError> {
    at_station(&paths, |ws| stats::dashboard(ws, params))
}

#[tauri::command(async)]
pub fn serial_ports() -> Result<Vec<SerialPortView>, WindowError> {
    ports::list().map_err(window)
}

// Log in: PINs, the window's session and its idle lock; confirming an unknown lock.
use refurbdesk_app::locks::{self, LockConfirmParams, LockConfirmationRecord, LockConfirmed};
use refurbdesk_app::session::{
    self, FirstAdminParams, LoginParams, PinSet, SessionInfo, SessionStatus, SetPinParams,
};

use crate::calls::{end_session, start_session, with_session};

/// Whether the station asks for PINs, and who it opens as while it does not.
#[tauri::command(async)]
pub fn session_status(paths: tauri::State<'_, DataPaths>) -> Result<SessionStatus, WindowError> {
    at_station(&paths, |ws| session::status(ws))
}

/// Logs an operator in; their session lasts until `session_lock` or the idle time.
#[tauri::command(async)]
pub fn session_login(
    paths: tauri::State<'_, DataPaths>,
    params: LoginParams,
) -> Result<SessionInfo, WindowError> {
    start_session(&paths, |ws| session::login(ws, params))
}

/// Registers the first admin of an empty station with a PIN, and logs them in.
#[tauri::command(async)]
pub fn session_create_first_admin(
    paths: tauri::State<'_, DataPaths>,
    params: FirstAdminParams,
) -> Result<SessionInfo, WindowError> {
    start_session(&paths, |ws| session::create_first_admin(ws, params))
}

/// Who is logged in (`null`: nobody, or the session locked after the idle time).
#[tauri::command(async)]
pub fn session_info(
    paths: tauri::State<'_, DataPaths>,
) -> Result<Option<SessionInfo>, WindowError> {
    with_session(&paths, |ws| session::current(ws))
}

/// Locks the window (logging out): the next call acts as nobody until someone logs in.
#[tauri::command(async)]
pub fn session_lock() {
    end_session();
}

#[tauri::command(async)]
pub fn session_set_pin(
    paths: tauri::State<'_, DataPaths>,
    params: SetPinParams,
) -> Result<PinSet, WindowError> {
    at_station(&paths, |ws| session::set_pin(ws, params))
}

#[tauri::command(async)]
pub fn lock_confirm(
    paths: tauri::State<'_, DataPaths>,
    station: tauri::State<'_, StationState>,
    params: LockConfirmParams,
) -> Result<LockConfirmed, WindowError> {
    at_station(&paths, |ws| locks::confirm(ws, params)).inspect(|confirmed| {
        if let locks::Regrade::Graded { grade } = &confirmed.regrade {
            station.note_grade(grade);
        }
    })
}

#[tauri::command(async)]
pub fn lock_history(
    paths: tauri::State<'_, DataPaths>,
    device: String,
) -> Result<Vec<LockConfirmationRecord>, WindowError> {
    at_station(&paths, |ws| locks::history(ws, &device))
}

// Opening an issued document's PDF in the system's viewer. The page names a document; the app
// layer hands back its file inside the documents folder (checked), and the opener plugin opens
// it from the Rust side: the window holds no opener permission, so it cannot open any path.
use refurbdesk_app::documents::{DocumentFile, DocumentFileParams};
use tauri_plugin_opener::OpenerExt;

#[tauri::command(async)]
pub fn documents_open(
    app: tauri::AppHandle,
    paths: tauri::State<'_, DataPaths>,
    params: DocumentFileParams,
) -> Result<DocumentFile, WindowError> {
    let file = at_station(&paths, |ws| documents::file(ws, &params))?;
    app.opener()
        .open_path(file.path.display().to_string(), None::<&str>)
        .map_err(|error| {
            window(refurbdesk_app::Error::new(
                refurbdesk_app::ErrorCode::NotFound,
                format!(
                    "no program on this machine opened {}: {error}; open it with a PDF viewer",
                    file.path.display()
                ),
            ))
        })?;
    Ok(file)
}

// Photos of a device's cosmetic zones: the window sends the bytes it read from the file chosen,
// and reads each photo back as a data: URL for its thumbnail.
use refurbdesk_app::photos::{
    self, AddPhotoParams, PhotoData, PhotoListParams, PhotoReadParams, PhotoRecord,
};

#[tauri::command(async)]
pub fn photos_add(
    paths: tauri::State<'_, DataPaths>,
    params: AddPhotoParams,
) -> Result<PhotoRecord, WindowError> {
    at_station(&paths, |ws| photos::add(ws, params))
}

#[tauri::command(async)]
pub fn photos_list(
    paths: tauri::State<'_, DataPaths>,
    params: PhotoListParams,
) -> Result<Vec<PhotoRecord>, WindowError> {
    at_station(&paths, |ws| photos::list(ws, &params))
}

#[tauri::command(async)]
pub fn photos_read(
    paths: tauri::State<'_, DataPaths>,
    params: PhotoReadParams,
) -> Result<PhotoData, WindowError> {
    at_station(&paths, |ws| photos::read(ws, &params))
}

// Trade-in customers and batches: the Batches screen imports the manifest the file dialog or a
// drop read (as bytes), receives the scanner's codes and shows the status.
use refurbdesk_app::batches::{
    self, AccessoriesParams, AccessoriesRecorded, AuditParams, BatchAudit, BatchRef, BatchStatus,
    BatchSummary, CloseParams, ImportBatchParams, ImportedBatch, Receipt, ReceiveParams,
    RequoteParams,
};
use refurbdesk_app::customers::{self, AddCustomerParams, CustomerRecord, ForgetCustomerParams};

#[tauri::command(async)]
pub fn customers_add(
    paths: tauri::State<'_, DataPaths>,
    params: AddCustomerParams,
) -> Result<CustomerRecord, WindowError> {
    at_station(&paths, |ws| customers::add(ws, params))
}

#[tauri::command(async)]
pub fn customers_list(
    paths: tauri::State<'_, DataPaths>,
) -> Result<Vec<CustomerRecord>, WindowError> {
    at_station(&paths, |ws| customers::list(ws))
}

#[tauri::command(async)]
pub fn customers_forget(
    paths: tauri::State<'_, DataPaths>,
    params: ForgetCustomerParams,
) -> Result<CustomerRecord, WindowError> {
    at_station(&paths, |ws| customers::forget(ws, params))
}

#[tauri::command(async)]
pub fn batches_import(
    paths: tauri::State<'_, DataPaths>,
    params: ImportBatchParams,
) -> Result<ImportedBatch, WindowError> {
    at_station(&paths, |ws| batches::import(ws, params))
}

#[tauri::command(async)]
pub fn batches_receive(
    paths: tauri::State<'_, DataPaths>,
    params: ReceiveParams,
) -> Result<Receipt, WindowError> {
    at_station(&paths, |ws| batches::receive(ws, params))
}

#[tauri::command(async)]
pub fn batches_status(
    paths: tauri::State<'_, DataPaths>,
    params: BatchRef,
) -> Result<BatchStatus, WindowError> {
    at_station(&paths, |ws| batches::status(ws, &params))
}

#[tauri::command(async)]
pub fn batches_list(paths: tauri::State<'_, DataPaths>) -> Result<Vec<BatchSummary>, WindowError> {
    at_station(&paths, |ws| batches::list(ws))
}

#[tauri::command(async)]
pub fn batches_requote(
    paths: tauri::State<'_, DataPaths>,
    params: RequoteParams,
) -> Result<BatchStatus, WindowError> {
    at_station(&paths, |ws| batches::requote(ws, params))
}

#[tauri::command(async)]
pub fn batches_audit(
    paths: tauri::State<'_, DataPaths>,
    params: AuditParams,
) -> Result<BatchAudit, WindowError> {
    at_station(&paths, |ws| batches::audit(ws, &params))
}

#[tauri::command(async)]
pub fn batches_accessories(
    paths: tauri::State<'_, DataPaths>,
    params: AccessoriesParams,
) -> Result<AccessoriesRecorded, WindowError> {
    at_station(&paths, |ws| batches::record_accessories(ws, params))
}

#[tauri::command(async)]
pub fn batches_close(
    paths: tauri::State<'_, DataPaths>,
    params: CloseParams,
) -> Result<BatchStatus, WindowError> {
    at_station(&paths, |ws| batches::close(ws, params))
}

// A batch's documents: the signed audit report, the CSV/XLSX export and the certificates ZIP
// (the Batches screen's report and export buttons).
use refurbdesk_app::documents::{
    BatchCertificates, BatchCertificatesParams, BatchExportParams, BatchExported, BatchReportParams,
};

#[tauri::command(async)]
pub fn batches_report(
    paths: tauri::State<'_, DataPaths>,
    params: BatchReportParams,
) -> Result<DocumentSummary, WindowError> {
    at_station(&paths, |ws| documents::batch_report(ws, &params))
}

#[tauri::command(async)]
pub fn batches_export(
    paths: tauri::State<'_, DataPaths>,
    params: BatchExportParams,
) -> Result<BatchExported, WindowError> {
    at_station(&paths, |ws| documents::batch_export(ws, &params))
}

#[tauri::command(async)]
pub fn batches_certificates(
    paths: tauri::State<'_, DataPaths>,
    params: BatchCertificatesParams,
) -> Result<BatchCertificates, WindowError> {
    at_station(&paths, |ws| documents::batch_certificates(ws, &params))
}

// The marketplace outbox (the Settings screen's sync section): what waits, what failed with the
// marketplace's own message, and an operator's retry or cancel.
use refurbdesk_app::marketplace::{
    self, ConfigureMarketplaceParams, MarketplaceConfigured, MarketplaceSettings, SyncEntry,
    SyncEntryParams, SyncStatus,
};

#[tauri::command(async)]
pub fn marketplace_settings(
    paths: tauri::State<'_, DataPaths>,
) -> Result<Option<MarketplaceSettings>, WindowError> {
    at_station(&paths, |ws| marketplace::current(ws))
}

#[tauri::command(async)]
pub fn marketplace_configure(
    paths: tauri::State<'_, DataPaths>,
    params: ConfigureMarketplaceParams,
) -> Result<MarketplaceConfigured, WindowError> {
    at_station(&paths, |ws| marketplace::configure(ws, &params))
}

#[tauri::command(async)]
pub fn sync_status(paths: tauri::State<'_, DataPaths>) -> Result<SyncStatus, WindowError> {
    at_station(&paths, |ws| marketplace::status(ws))
}

#[tauri::command(async)]
pub fn sync_retry(
    paths: tauri::State<'_, DataPaths>,
    params: SyncEntryParams,
) -> Result<SyncEntry, WindowError> {
    at_station(&paths, |ws| marketplace::retry(ws, &params.id))
}

#[tauri::command(async)]
pub fn sync_cancel(
    paths: tauri::State<'_, DataPaths>,
    params: SyncEntryParams,
) -> Result<SyncEntry, WindowError> {
    at_station(&paths, |ws| marketplace::cancel(ws, &params.id))
}

// A sellable, erased device ships for a marketplace order line (the device screen's Ship).
use refurbdesk_app::ship::{self, ShipParams, Shipment};

#[tauri::command(async)]
pub fn ship(
    paths: tauri::State<'_, DataPaths>,
    params: ShipParams,
) -> Result<Shipment, WindowError> {
    at_station(&paths, |ws| ship::ship(ws, params))
}

// The verdict on the marketplace trade-in order a batch was pulled from (the Batches screen).
use refurbdesk_app::marketplace_orders::{self, VerdictParams, VerdictQueued};

#[tauri::command(async)]
pub fn marketplace_verdict(
    paths: tauri::State<'_, DataPaths>,
    params: VerdictParams,
) -> Result<VerdictQueued, WindowError> {
    at_station(&paths, |ws| marketplace_orders::verdict(ws, &params))
}
