// The keys of assets/locales/<lang>/ui.ftl: the window's frame and the station screen.
export const APP_KEYS = [
  'app.name',
  'app.versionLabel',
  'station.title',

  'benchList.label',
  'benchList.emptyTitle',
  'benchList.emptyHint',

  'bench.unknownModel',
  'bench.serial',
  'bench.port',
  'bench.state.connecting',
  'bench.state.ready',
  'bench.state.disconnected',
  'bench.disconnectedNote',
  'bench.noSlots',

  'slot.label',
  'slot.noDevice',
  'slot.state.empty',
  'slot.state.occupied',
  'slot.state.intake',
  'slot.state.recorded',
  'slot.state.failed',
  'slot.state.unknown',

  'verdict.battery.label',
  'verdict.battery.pass',
  'verdict.battery.replace',
  'verdict.battery.consumed',
  'verdict.battery.unknown',
  'verdict.battery.absent',
  'verdict.battery.pending',

  'verdict.lock.label',
  'verdict.lock.clear',
  'verdict.lock.blocked',
  'verdict.lock.unknown',
  'verdict.lock.pending',
] as const;
