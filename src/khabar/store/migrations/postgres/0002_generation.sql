-- khabar store, step 2 (PostgreSQL). Keep the logical schema equal to sqlite/0002_generation.sql.
-- One counter that every write changing what a page shows (a new or updated brief, related
-- stories, clusters) bumps in its own transaction: the web layer keys its page cache on it,
-- so a page is re-rendered exactly when its content may have changed, in any process.
-- Feedback does not bump it: no cached page shows feedback.

CREATE TABLE store_state (
    id         SMALLINT PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO store_state (id, generation) VALUES (1, 0);
