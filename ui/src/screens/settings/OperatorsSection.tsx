// Operators and their roles: list, add, disable and enable (admins; the engine checks).
import { useEffect, useState, type FormEvent } from 'react';
import { asWindowError, type Api, type WindowError } from '../../api';
import type { OperatorInfo } from '../../bindings/OperatorInfo';
import { ErrorNotice } from '../../components/ErrorNotice';
import { t, type Lang, type MessageKey } from '../../i18n';

export const ROLES = ['technician', 'auditor', 'quality_manager', 'admin'] as const;
type Role = (typeof ROLES)[number];

const roleKey = (role: Role): MessageKey =>
  (({ technician: 'settings.role.technician', auditor: 'settings.role.auditor', quality_manager: 'settings.role.qualityManager', admin: 'settings.role.admin' }) as const)[role];

export function OperatorsSection({ lang, api }: { lang: Lang; api: Api }) {
  const [operators, setOperators] = useState<OperatorInfo[]>([]);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('technician');
  const [error, setError] = useState<WindowError | null>(null);

  useEffect(() => {
    api.operatorsList().then(setOperators, (failure: unknown) => setError(asWindowError(failure)));
  }, [api]);

  const replace = (changed: OperatorInfo) =>
    setOperators((old) => old.map((operator) => (operator.id === changed.id ? changed : operator)));

  const act = async (work: () => Promise<void>) => {
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(asWindowError(failure));
    }
  };

  const add = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') return;
    void act(async () => {
      const added = await api.operatorsAdd({ name: name.trim(), role });
      setOperators((old) => [...old, added.operator]);
      setName('');
    });
  };

  return (
    <section className="settings-section" aria-labelledby="settings-operators-title" data-testid="settings-operators">
      <h2 id="settings-operators-title">{t(lang, 'settings.operators.title')}</h2>
      <table className="settings-table">
        <thead>
          <tr>
            <th>{t(lang, 'settings.operators.name')}</th>
            <th>{t(lang, 'settings.operators.role')}</th>
            <th>{t(lang, 'settings.operators.state')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {operators.map((operator) => (
            <tr key={operator.id} data-testid={`operator-${operator.name}`} data-disabled={operator.disabled}>
              <td>{operator.name}</td>
              <td>{t(lang, roleKey(operator.role))}</td>
              <td>{t(lang, operator.disabled ? 'settings.operators.disabled' : 'settings.operators.enabled')}</td>
              <td>
                <button
                  type="button"
                  onClick={() =>
                    act(async () =>
                      replace(
                        operator.disabled
                          ? await api.operatorsEnable({ name: operator.name })
                          : await api.operatorsDisable({ name: operator.name }),
                      ),
                    )
                  }
                >
                  {t(lang, operator.disabled ? 'settings.operators.enable' : 'settings.operators.disable')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={add}>
        <label>
          <span>{t(lang, 'settings.operators.name')}</span>
          <input data-testid="operator-add-name" value={name} onChange={(event) => setName(event.target.value)} />
        </label>
        <label>
          <span>{t(lang, 'settings.operators.role')}</span>
          <select data-testid="operator-add-role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {ROLES.map((choice) => (
              <option key={choice} value={choice}>
                {t(lang, roleKey(choice))}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" data-testid="operator-add" disabled={name.trim() === ''}>
          {t(lang, 'settings.operators.add')}
        </button>
      </form>
      <ErrorNotice error={error} lang={lang} onDismiss={() => setError(null)} />
    </section>
  );
}
