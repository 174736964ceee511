import { describe, expect, it } from 'vitest';
import { stageLabel } from './DeviceScreen';

describe('stageLabel', () => {
  it("tells the engine's erasure stages in the screen's words, and an unknown one as it is", () => {
    expect(stageLabel('en', 'pass 2/3')).toBe('Overwriting: pass 2 of 3');
    expect(stageLabel('fr', 'pass 1/1')).toBe('Écrasement\u00a0: passe 1 sur 1');
    expect(stageLabel('en', 'verify')).toBe('Reading back to verify');
    expect(stageLabel('fr', 'verify')).toBe('Relecture de vérification');
    expect(stageLabel('en', 'trim')).toBe('trim');
    expect(stageLabel('en', 'pass x/3')).toBe('pass x/3');
  });
});
