-- Site schema version 2: one PostgreSQL role per station, which may write its own station's
-- rows only (row-level security by station id) and never update or delete another station's
-- history, nor any audit entry.

-- What every station role is granted, through membership (roles are the cluster's, so this
-- one may already exist for another site database on the same server).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'refurbdesk_station') THEN
        CREATE ROLE refurbdesk_station NOLOGIN;
    END IF;
EXCEPTION
    -- Another database of the cluster created it meanwhile.
    WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

-- The station role of each station: bound to its station id by the station's first push.
CREATE TABLE site_station_roles (
    role_name       text PRIMARY KEY,
    station_name    text NOT NULL,
    station_id      uuid UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    disabled_at     timestamptz
);

-- The station the connected role may write for (NULL for any other role, or a disabled one).
-- session_user, the role that logged in: inside a SECURITY DEFINER function current_user is
-- the function's owner.
CREATE FUNCTION site_own_station() RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT station_id FROM site_station_roles
    WHERE role_name = session_user AND disabled_at IS NULL
$$;

-- Called by every push: binds a station role to the station that first pushes with it, and
-- refuses it for any other station. Nothing for a role that is not a station role (the site's
-- owner, an administrator).
CREATE FUNCTION site_claim_station(station uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM site_station_roles WHERE role_name = session_user) THEN
        RETURN;
    END IF;
    UPDATE site_station_roles SET station_id = station
    WHERE role_name = session_user AND station_id IS NULL AND disabled_at IS NULL;
    IF NOT EXISTS (SELECT 1 FROM site_station_roles
                   WHERE role_name = session_user AND station_id = station
                     AND disabled_at IS NULL) THEN
        RAISE EXCEPTION 'the site role % may not write for station %', session_user, station
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;

REVOKE ALL ON FUNCTION site_claim_station(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION site_own_station() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION site_claim_station(uuid), site_own_station() TO refurbdesk_station;

GRANT SELECT ON site_schema TO refurbdesk_station;
-- A station's own rows change only as its store allows: its mark moves, its record replaced by
-- a later entry. Audit entries are inserted, never updated or deleted.
GRANT SELECT, INSERT, UPDATE ON site_stations, site_marks, records TO refurbdesk_station;
GRANT SELECT, INSERT ON audit_log TO refurbdesk_station;

ALTER TABLE site_stations ENABLE ROW LEVEL SECURITY;
ALTER TABLE site_marks ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE records ENABLE ROW LEVEL SECURITY;

CREATE POLICY own_station ON site_stations
    USING (station_id = site_own_station()) WITH CHECK (station_id = site_own_station());
CREATE POLICY own_station ON site_marks
    USING (station_id = site_own_station()) WITH CHECK (station_id = site_own_station());
CREATE POLICY own_station ON audit_log
    USING (station_id = site_own_station()) WITH CHECK (station_id = site_own_station());
CREATE POLICY own_station ON records
    USING (station_id = site_own_station()) WITH CHECK (station_id = site_own_station());
