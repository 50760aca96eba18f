-- Contact search as you type (issue 9), fast on directories of tens of
-- thousands of entries; store/search.go contactSearch.rowids explains the plan.
--   contacts.search        now " word word ...": folded runs of letters and
--                          digits, with a leading space so that a word's start
--                          is " "+term (the SQL below brings older rows close to
--                          what the store now writes);
--   contacts_search_order  walks the contacts in their order (internal first,
--                          then by name) without reading the table: the search
--                          text and the kind are in the index;
--   contacts_fts           trigram index: a term of three characters or more
--                          anywhere in a word;
--   contacts_words         word index with one- and two-character prefixes: a
--                          shorter term at the start of a word.
-- Both full-text tables are external-content tables on contacts' rowid, kept in
-- step by the triggers below. VACUUM keeps those rowids (the store test
-- TestSearchSurvivesVacuumAndEdits guards it).

UPDATE contacts SET search = ' ' || trim(replace(replace(replace(replace(replace(replace(replace(replace(
    search, '@', ' '), '.', ' '), '-', ' '), '_', ' '), '''', ' '), '+', ' '), '(', ' '), ')', ' '));

DROP INDEX contacts_kind_name;
CREATE INDEX contacts_search_order ON contacts(kind = 'external', name COLLATE NOCASE, search, kind);

CREATE VIRTUAL TABLE contacts_fts USING fts5(
    search, content='contacts', content_rowid='rowid', tokenize='trigram'
);
CREATE VIRTUAL TABLE contacts_words USING fts5(
    search, content='contacts', content_rowid='rowid', tokenize='unicode61', prefix='1 2'
);

CREATE TRIGGER contacts_search_ai AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts (rowid, search) VALUES (new.rowid, new.search);
    INSERT INTO contacts_words (rowid, search) VALUES (new.rowid, new.search);
END;
CREATE TRIGGER contacts_search_ad AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, search) VALUES ('delete', old.rowid, old.search);
    INSERT INTO contacts_words (contacts_words, rowid, search) VALUES ('delete', old.rowid, old.search);
END;
CREATE TRIGGER contacts_search_au AFTER UPDATE OF search ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, search) VALUES ('delete', old.rowid, old.search);
    INSERT INTO contacts_words (contacts_words, rowid, search) VALUES ('delete', old.rowid, old.search);
    INSERT INTO contacts_fts (rowid, search) VALUES (new.rowid, new.search);
    INSERT INTO contacts_words (rowid, search) VALUES (new.rowid, new.search);
END;

INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild');
INSERT INTO contacts_words (contacts_words) VALUES ('rebuild');
