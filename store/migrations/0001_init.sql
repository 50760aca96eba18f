-- Ligne schema, version 1. Times are Unix milliseconds (UTC).

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE account (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    display_name   TEXT NOT NULL DEFAULT '',
    sip_user       TEXT NOT NULL DEFAULT '',
    auth_user      TEXT NOT NULL DEFAULT '',
    domain         TEXT NOT NULL DEFAULT '',
    registrar      TEXT NOT NULL DEFAULT '',
    outbound_proxy TEXT NOT NULL DEFAULT '',
    transport      TEXT NOT NULL DEFAULT 'udp' CHECK (transport IN ('udp', 'tcp', 'tls')),
    tls_pin        TEXT NOT NULL DEFAULT '',
    demo           INTEGER NOT NULL DEFAULT 0
);

-- The organization profile as last applied (the administrator's side).
CREATE TABLE profile (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    body       TEXT NOT NULL,
    source     TEXT NOT NULL DEFAULT '',
    applied_at INTEGER NOT NULL
);

CREATE TABLE lines (
    kind      TEXT PRIMARY KEY CHECK (kind IN ('fixed', 'mobile')),
    label     TEXT NOT NULL DEFAULT '',
    extension TEXT NOT NULL DEFAULT '',
    numbers   TEXT NOT NULL DEFAULT '[]' -- JSON array of canonical numbers
);

CREATE TABLE devices (
    id                     INTEGER PRIMARY KEY,
    model                  TEXT NOT NULL,
    mac                    TEXT NOT NULL UNIQUE CHECK (length(mac) = 12),
    label                  TEXT NOT NULL DEFAULT '',
    line                   TEXT NOT NULL REFERENCES lines(kind) ON UPDATE CASCADE,
    audio_quality          TEXT NOT NULL DEFAULT 'wideband',
    show_supervised_caller INTEGER NOT NULL DEFAULT 0,
    ringtone               TEXT NOT NULL DEFAULT '',
    custom_ringtone_path   TEXT NOT NULL DEFAULT '',
    lock_enabled           INTEGER NOT NULL DEFAULT 0,
    lock_code              TEXT NOT NULL DEFAULT '',
    lock_timeout           INTEGER NOT NULL DEFAULT 0,
    config_version         INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE presented (
    line   TEXT PRIMARY KEY REFERENCES lines(kind) ON DELETE CASCADE,
    kind   TEXT NOT NULL,
    number TEXT NOT NULL DEFAULT ''
);

CREATE TABLE function_keys (
    position   INTEGER PRIMARY KEY CHECK (position > 0),
    kind       TEXT NOT NULL CHECK (kind IN ('supervision', 'shortcut')),
    contact_id TEXT NOT NULL,
    label      TEXT NOT NULL DEFAULT '',
    number     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE forward_rules (
    line         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    active       INTEGER NOT NULL DEFAULT 0,
    target       TEXT NOT NULL CHECK (target IN ('voicemail', 'number')),
    number       TEXT NOT NULL DEFAULT '',
    delay_s      INTEGER NOT NULL DEFAULT 0,
    period_from  INTEGER NOT NULL DEFAULT 0,
    period_until INTEGER NOT NULL DEFAULT 0,
    hours        TEXT NOT NULL DEFAULT '', -- JSON WeeklyHours, empty when none
    PRIMARY KEY (line, kind)
);

CREATE TABLE voicemail_settings (
    line TEXT PRIMARY KEY,
    body TEXT NOT NULL -- JSON VoicemailSettings
);

CREATE TABLE greetings (
    id          INTEGER PRIMARY KEY,
    line        TEXT NOT NULL,
    name        TEXT NOT NULL,
    path        TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    in_use      INTEGER NOT NULL DEFAULT 0,
    created     INTEGER NOT NULL
);
CREATE UNIQUE INDEX greetings_one_in_use ON greetings(line) WHERE in_use = 1;
CREATE UNIQUE INDEX greetings_name ON greetings(line, name COLLATE NOCASE);

CREATE TABLE voicemail_messages (
    id                  INTEGER PRIMARY KEY,
    line                TEXT NOT NULL,
    caller              TEXT NOT NULL DEFAULT '',
    caller_name         TEXT NOT NULL DEFAULT '',
    at                  INTEGER NOT NULL,
    duration_ms         INTEGER NOT NULL DEFAULT 0,
    path                TEXT NOT NULL,
    read                INTEGER NOT NULL DEFAULT 0,
    transcription       TEXT NOT NULL DEFAULT '',
    transcription_state TEXT NOT NULL DEFAULT '',
    deleted_at          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX voicemail_messages_line_at ON voicemail_messages(line, at);

CREATE TABLE calls (
    id           INTEGER PRIMARY KEY,
    direction    TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    line         TEXT NOT NULL,
    remote       TEXT NOT NULL DEFAULT '',
    remote_name  TEXT NOT NULL DEFAULT '',
    start        INTEGER NOT NULL,
    answer       INTEGER NOT NULL DEFAULT 0,
    end_at       INTEGER NOT NULL DEFAULT 0,
    outcome      TEXT NOT NULL,
    forwarded_to TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    class        TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT 'ligne',
    external_id  TEXT
);
CREATE INDEX calls_start ON calls(start);
CREATE INDEX calls_line_dir_start ON calls(line, direction, start);
CREATE INDEX calls_outcome_start ON calls(outcome, start);
CREATE INDEX calls_remote ON calls(remote);
CREATE UNIQUE INDEX calls_external ON calls(source, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE usage (
    id          INTEGER PRIMARY KEY,
    line        TEXT NOT NULL,
    at          INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('data', 'sms')),
    amount      INTEGER NOT NULL,
    remote      TEXT NOT NULL DEFAULT '',
    external_id TEXT
);
CREATE INDEX usage_line_at ON usage(line, at);
CREATE UNIQUE INDEX usage_external ON usage(external_id) WHERE external_id IS NOT NULL;

CREATE TABLE contacts (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('internal', 'external')),
    name       TEXT NOT NULL,
    company    TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    extension  TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL DEFAULT '',
    search     TEXT NOT NULL DEFAULT '' -- folded name, company, department and digits for search
);
CREATE INDEX contacts_kind_name ON contacts(kind, name COLLATE NOCASE);

CREATE TABLE contact_numbers (
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    ord        INTEGER NOT NULL,
    type       TEXT NOT NULL,
    number     TEXT NOT NULL,
    PRIMARY KEY (contact_id, ord)
);
CREATE INDEX contact_numbers_number ON contact_numbers(number);

CREATE TABLE state (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    dnd INTEGER NOT NULL DEFAULT 0
);
INSERT INTO state (id, dnd) VALUES (1, 0);
