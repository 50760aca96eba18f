-- Contact search (issue 9): two full-text indexes over contacts.search, kept
-- in step by triggers, so that search as you type stays fast on directories
-- of tens of thousands of entries.
--   contacts_fts   trigram: a term of three characters or more matches
--                  anywhere in a word (names, digits of numbers);
--   contacts_words words with one- and two-character prefix indexes: a
--                  shorter term matches the start of a word.
-- Both are external-content tables on contacts' rowid. SQLite's VACUUM keeps
-- those rowids (store test TestSearchSurvivesVacuum guards it).

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
