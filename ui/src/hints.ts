// The next step an error suggests, told in the window's language. The engine sends each hint
// twice: as English text in the window's terms (`hint`) and as data (`hint_data`); the data is
// told here from the catalogue (ui-hints.ftl), so a French window reads a French hint. Advice
// the engine words itself (`say`) keeps its text.

import type { Hint } from './bindings/Hint';
import type { WindowError } from './bindings/WindowError';
import { t, type Lang, type MessageKey } from './i18n';

/** The engine names a role with its English article; the catalogue has each role's words. */
const ROLE_KEYS: Readonly<Record<string, MessageKey>> = {
  'a technician': 'hint.role.technician',
  'an auditor': 'hint.role.auditor',
  'a quality manager': 'hint.role.qualityManager',
  'an admin': 'hint.role.admin',
};

/** The hint told in `lang`; `null` for advice the catalogue does not word (`say`). */
export function tellHint(lang: Lang, hint: Hint): string | null {
  switch (hint.kind) {
    case 'set_setting':
      return t(lang, 'hint.setSetting', { key: hint.key });
    case 'register_operator':
      return t(lang, 'hint.registerOperator');
    case 'register_first_admin':
      return t(lang, 'hint.registerFirstAdmin');
    case 'choose_database':
      return t(lang, 'hint.chooseDatabase');
    case 'list_records':
      return t(lang, `hint.listRecords.${hint.what}`);
    case 'intake_again':
      return t(lang, 'hint.intakeAgain');
    case 'say':
      return null;
    case 'check_policy':
      return t(lang, 'hint.checkPolicy', { file: hint.file });
    case 'check_database':
      return t(lang, 'hint.checkDatabase');
    case 'answer_grading':
      return t(lang, 'hint.answerGrading');
    case 'give_zone_level':
      return t(lang, 'hint.giveZoneLevel', { zone: hint.zone });
    case 'replace_file':
      return t(lang, 'hint.replaceFile');
    case 'confirm_erase':
      switch (hint.with.kind) {
        case 'serial':
          return t(lang, 'hint.confirmErase.serial');
        case 'kernel_name':
          return t(lang, 'hint.confirmErase.kernelName', { name: hint.with.name });
        case 'image':
          return t(lang, 'hint.confirmErase.image');
      }
      return null;
    case 'reset_by_hand':
      return t(lang, 'hint.resetByHand');
    case 'restore_backup':
      return t(lang, 'hint.restoreBackup');
    case 'act_as': {
      const roleKey = ROLE_KEYS[hint.role];
      return t(lang, 'hint.actAs', { role: roleKey === undefined ? hint.role : t(lang, roleKey) });
    }
    case 'give_pin':
      return t(lang, 'hint.givePin', { operator: hint.operator });
    case 'reissue_certificate':
      return t(lang, 'hint.reissueCertificate');
    case 'name_site':
      return t(lang, 'hint.nameSite');
    case 'init_site':
      return t(lang, 'hint.initSite');
    case 'change_on_site':
      return t(lang, 'hint.changeOnSite', { site: hint.site });
  }
}

/** What an error notice shows as the next step: told in `lang` when the hint came as data. */
export function errorHint(lang: Lang, error: WindowError): string | null {
  const told = error.hint_data === undefined ? null : tellHint(lang, error.hint_data);
  return told ?? (error.hint === '' ? null : error.hint);
}
