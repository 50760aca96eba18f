-- Desk phone provisioning: where to send check-sync, what each phone
-- fetched, and how the last push went. Times are Unix milliseconds (UTC).

-- The SIP address (host or host:port) typed in for a device; empty means
-- "the address it last fetched its configuration from".
ALTER TABLE devices ADD COLUMN sip_address TEXT NOT NULL DEFAULT '';

-- Every configuration file a phone downloaded from Ligne's server.
CREATE TABLE device_fetches (
    id         INTEGER PRIMARY KEY,
    device_id  INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    file       TEXT NOT NULL,
    user_agent TEXT NOT NULL DEFAULT '',
    remote     TEXT NOT NULL DEFAULT '', -- IP address the request came from
    version    INTEGER NOT NULL DEFAULT 0 -- config_version served
);
CREATE INDEX device_fetches_device_at ON device_fetches(device_id, at);

-- The last check-sync sent to each device and the hash of the
-- configuration it announced, so a change made anywhere is pushed once.
CREATE TABLE device_sync (
    device_id     INTEGER PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
    at            INTEGER NOT NULL DEFAULT 0,
    target        TEXT NOT NULL DEFAULT '',
    status        INTEGER NOT NULL DEFAULT 0, -- SIP status of the answer, 0 when none
    reason        TEXT NOT NULL DEFAULT '',   -- the answer's reason phrase or the failure code
    pushed_hash   TEXT NOT NULL DEFAULT '',
    pushed_version INTEGER NOT NULL DEFAULT 0
);
