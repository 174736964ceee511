-- Site schema version 4: what the site owns and every attached station follows: operators and
-- their roles, organisation-wide settings (organisation, channels, policies), and every
-- station's published signing keys, so every station verifies every station's certificates.

CREATE TABLE site_settings (
    key         text PRIMARY KEY,
    value       text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text NOT NULL
);

CREATE TABLE site_operators (
    name        text PRIMARY KEY,
    role        text NOT NULL,
    disabled    boolean NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Stations read these (a pull), never write them: a site administrator does.
GRANT SELECT ON site_settings, site_operators TO refurbdesk_station;

-- Every station's published public keys, as the stations replicated them. A station role sees
-- only its own rows of `records`: this function, run as the site's owner, returns the keys
-- only, nothing else of another station.
CREATE FUNCTION site_published_keys()
RETURNS TABLE (station_id uuid, key_id text, algorithm text, public_key text, fingerprint text,
               created_at text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT station_id, record ->> 'key_id', record ->> 'algorithm', record ->> 'public_key',
           record ->> 'fingerprint', record ->> 'created_at'
    FROM records WHERE entity = 'signing_key'
    ORDER BY record ->> 'created_at', record ->> 'key_id'
$$;
REVOKE ALL ON FUNCTION site_published_keys() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION site_published_keys() TO refurbdesk_station;
