import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ConfigureMarketplaceParams } from '../../bindings/ConfigureMarketplaceParams';
import type { MarketplaceSettings } from '../../bindings/MarketplaceSettings';
import { fakeApi } from '../fakeApi';
import { MarketplaceSection } from './MarketplaceSection';

const configured: MarketplaceSettings = {
  url: 'https://preprod.backmarket.fr',
  company: 'Refurbix',
  integration: 'Refurbdesk',
  email: 'ops@refurbix.example',
  lang: 'fr-fr',
  time_factor: 1,
  sku_template: 'RD-{model}-{storage}-{colour}-{grade}',
};

describe('the marketplace connection section', () => {
  it('shows the connection as configured, asks the token again and sends it with the settings', async () => {
    const sent: ConfigureMarketplaceParams[] = [];
    const api = fakeApi({
      marketplaceSettings: () => Promise.resolve(configured),
      marketplaceConfigure: (params) => {
        sent.push(params);
        return Promise.resolve({
          url: params.settings.url,
          user_agent: 'BM-Refurbix-Refurbdesk;ops@refurbix.example',
          token_file: '/data/marketplace.token',
          stocked: 3,
        });
      },
    });
    render(<MarketplaceSection lang="en" api={api} />);

    await waitFor(() => expect((screen.getByTestId('marketplace-company') as HTMLInputElement).value).toBe('Refurbix'));
    expect((screen.getByTestId('marketplace-skuTemplate') as HTMLInputElement).value).toBe(configured.sku_template);
    const save = screen.getByTestId('marketplace-save') as HTMLButtonElement;
    // The token is never shown back: it must be given again.
    expect((screen.getByTestId('marketplace-token') as HTMLInputElement).value).toBe('');
    expect((screen.getByTestId('marketplace-token') as HTMLInputElement).type).toBe('password');
    expect(save.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('marketplace-token'), { target: { value: 's3cret' } });
    fireEvent.change(screen.getByTestId('marketplace-email'), { target: { value: ' sales@refurbix.example ' } });
    expect(save.disabled).toBe(false);
    fireEvent.click(save);

    await waitFor(() => expect(screen.getByTestId('marketplace-configured').getAttribute('data-stocked')).toBe('3'));
    expect(sent).toEqual([{ settings: { ...configured, email: 'sales@refurbix.example' }, token: 's3cret' }]);
    expect(screen.getByTestId('marketplace-configured').textContent).toContain('BM-Refurbix-Refurbdesk');
    expect((screen.getByTestId('marketplace-token') as HTMLInputElement).value).toBe('');
  });

  it('starts from the public marketplace when none is configured, and shows a refusal', async () => {
    const api = fakeApi({
      marketplaceSettings: () => Promise.resolve(null),
      marketplaceConfigure: () =>
        Promise.reject({ code: 'refused', message: 'tom (technician) may not configure the marketplace', hint: null, details: null }),
    });
    render(<MarketplaceSection lang="fr" api={api} />);
    expect((await screen.findByTestId('marketplace')).textContent).toContain('Connexion à la place de marché');
    expect((screen.getByTestId('marketplace-url') as HTMLInputElement).value).toBe('https://www.backmarket.fr');
    for (const [name, value] of [
      ['company', 'Refurbix'],
      ['email', 'ops@refurbix.example'],
      ['token', 't'],
    ] as const) {
      fireEvent.change(screen.getByTestId(`marketplace-${name}`), { target: { value } });
    }
    fireEvent.click(screen.getByTestId('marketplace-save'));
    expect((await screen.findByTestId('error')).getAttribute('data-code')).toBe('refused');
    expect(screen.queryByTestId('marketplace-configured')).toBeNull();
  });
});
