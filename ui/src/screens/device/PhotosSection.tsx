// Optional photos of each cosmetic zone: a file input per zone whose bytes go to the engine
// (which checks they are a PNG or JPEG of at most 10 MiB), and the zone's photos as thumbnails,
// read back from the station's database.
import { useEffect, useState } from 'react';
import { asWindowError, type Api, type WindowError } from '../../api';
import type { DeviceDetail } from '../../bindings/DeviceDetail';
import { t, type Lang } from '../../i18n';

export interface PhotoZone {
  zone: string;
  /** The zone's name in the screen's language. */
  text: string;
}

export interface PhotosSectionProps {
  lang: Lang;
  api: Api;
  detail: DeviceDetail;
  zones: readonly PhotoZone[];
  /** A photo was added: reload the device. */
  onAdded: () => void;
  onError: (error: WindowError | null) => void;
}

/** A file's bytes as base64, read the way the webview reads any file input. */
export function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

export function PhotosSection({ lang, api, detail, zones, onAdded, onError }: PhotosSectionProps) {
  const [thumbnails, setThumbnails] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const photos = detail.photos;

  useEffect(() => {
    let live = true;
    for (const photo of photos) {
      if (thumbnails[photo.id] !== undefined) continue;
      void api
        .photosRead({ id: photo.id })
        .then((read) => {
          if (live) setThumbnails((known) => ({ ...known, [photo.id]: read.data_url }));
        })
        .catch((failure: unknown) => onError(asWindowError(failure)));
    }
    return () => {
      live = false;
    };
    // Thumbnails already read are kept; only new photos are read.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, photos]);

  const add = async (zone: string, file: File) => {
    setBusy(zone);
    onError(null);
    try {
      const base64 = await readBase64(file);
      await api.photosAdd({
        device: detail.identity.device_id,
        zone,
        photo: { from: 'bytes', name: file.name, base64 },
      });
      onAdded();
    } catch (failure) {
      onError(asWindowError(failure));
    } finally {
      setBusy(null);
    }
  };

  if (zones.length === 0) return null;
  return (
    <section className="card photos" aria-labelledby="device-photos" data-testid="photos">
      <h3 id="device-photos">{t(lang, 'device.photos')}</h3>
      <p className="hint">{t(lang, 'device.photosHint')}</p>
      <ul className="photos__zones">
        {zones.map(({ zone, text }) => (
          <li key={zone} data-testid={`photos-${zone}`}>
            <label>
              {t(lang, 'device.photoAdd', { zone: text })}
              <input
                type="file"
                accept="image/png,image/jpeg"
                data-testid={`photo-input-${zone}`}
                disabled={busy !== null}
                onChange={(event) => {
                  const file = event.target.files?.[0];
                  event.target.value = '';
                  if (file !== undefined) void add(zone, file);
                }}
              />
            </label>
            <div className="photos__thumbnails">
              {photos
                .filter((photo) => photo.zone === zone)
                .map((photo) => (
                  <figure key={photo.id} data-testid={`photo-${photo.id}`}>
                    {thumbnails[photo.id] !== undefined && (
                      <img src={thumbnails[photo.id]} alt={`${text} · ${photo.file_name}`} width={96} />
                    )}
                    <figcaption>
                      {photo.file_name} · {new Date(photo.taken_at).toLocaleString(lang)} · {photo.operator}
                    </figcaption>
                  </figure>
                ))}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
