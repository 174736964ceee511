// Follows the desktop shell's station: replays what happened before the window listened, then applies
// each new event. Every event carries a sequence number, so none is applied twice or lost in between.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { NumberedEvent as Numbered } from './bindings/NumberedEvent';
import type { StationStarted } from './bindings/StationStarted';
import { applyStationEvent } from './stationEvents';
import type { BenchView } from './types';

export async function followStation(onChange: (benches: BenchView[]) => void): Promise<() => void> {
  let benches: BenchView[] = [];
  let lastSeq = -1;
  let replayed = false;
  const early: Numbered[] = [];
  const apply = (item: Numbered) => {
    if (item.seq <= lastSeq) return;
    lastSeq = item.seq;
    benches = applyStationEvent(benches, item.event);
  };
  const unlisten = await listen<Numbered>('station-event', ({ payload }) => {
    if (!replayed) {
      early.push(payload);
      return;
    }
    apply(payload);
    onChange(benches);
  });
  const history = await invoke<Numbered[]>('station_history');
  history.forEach(apply);
  early.sort((a, b) => a.seq - b.seq).forEach(apply);
  replayed = true;
  onChange(benches);
  return unlisten;
}

/** Starts the station on the simulated benches; null when one was already running. */
export function startSimulatedStation(): Promise<StationStarted | null> {
  return invoke<StationStarted | null>('start_simulated_station');
}
