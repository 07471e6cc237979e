-- khabar store, step 1 (SQLite). Keep the logical schema equal to postgres/0001_initial.sql.
-- Times are ISO 8601 UTC text; `published` is the article's date (YYYY-MM-DD) or, when
-- the page has none, the day it was stored: the feed is ordered by (published, id).

CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    url_key      TEXT NOT NULL UNIQUE,   -- the canonical URL, or "sha256:<hash>" without one
    url          TEXT,
    content_hash TEXT NOT NULL,
    title        TEXT NOT NULL,
    language     TEXT NOT NULL,
    source       TEXT,                   -- outlet: site name, or the URL's host
    published    TEXT NOT NULL,
    revision     INTEGER NOT NULL DEFAULT 1,
    brief_id     INTEGER,                -- the current brief
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX articles_feed ON articles (published DESC, id DESC);
CREATE INDEX articles_language_feed ON articles (language, published DESC, id DESC);
CREATE INDEX articles_source_feed ON articles (source, published DESC, id DESC);
CREATE INDEX articles_hash ON articles (content_hash);
CREATE INDEX articles_url ON articles (url);

-- Every brief ever made of an article: one per revision and summarizer version,
-- so feedback stays tied to the summary the reader actually saw.
CREATE TABLE briefs (
    id                 INTEGER PRIMARY KEY,
    article_id         INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    revision           INTEGER NOT NULL,
    content_hash       TEXT NOT NULL,
    summarizer         TEXT NOT NULL,
    summarizer_version TEXT NOT NULL,
    khabar_version     TEXT NOT NULL,
    data               TEXT NOT NULL,     -- Brief.to_dict() as JSON
    created_at         TEXT NOT NULL
);
CREATE INDEX briefs_article ON briefs (article_id);
CREATE INDEX briefs_summarizer ON briefs (summarizer, summarizer_version);

CREATE TABLE bullets (
    brief_id         INTEGER NOT NULL REFERENCES briefs (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    text             TEXT NOT NULL,
    source_sentences TEXT NOT NULL,       -- JSON list of sentence ids
    support          REAL NOT NULL,
    PRIMARY KEY (brief_id, position)
);

CREATE TABLE tags (
    id      INTEGER PRIMARY KEY,
    slug    TEXT NOT NULL UNIQUE,
    name    TEXT NOT NULL,
    english TEXT NOT NULL
);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    source     TEXT NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags (tag_id, article_id);

-- "यह भी पढ़ें": the publisher's own links (text only) and related stories
-- computed by the enrich step (target_id set).
CREATE TABLE related_links (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,             -- 'publisher' or 'computed'
    position   INTEGER NOT NULL,
    target     TEXT,
    target_id  INTEGER REFERENCES articles (id) ON DELETE CASCADE,
    score      REAL,
    PRIMARY KEY (article_id, kind, position)
);

CREATE TABLE clusters (
    id                INTEGER PRIMARY KEY,
    representative_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    label             TEXT,
    created_at        TEXT NOT NULL
);

CREATE TABLE cluster_members (
    cluster_id INTEGER NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, article_id)
);
CREATE INDEX cluster_members_article ON cluster_members (article_id);

CREATE TABLE feedback (
    id         INTEGER PRIMARY KEY,
    brief_id   INTEGER NOT NULL REFERENCES briefs (id) ON DELETE CASCADE,
    useful     INTEGER NOT NULL CHECK (useful IN (0, 1)),
    reason     TEXT,
    text       TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX feedback_brief ON feedback (brief_id);

-- The body as khabar's own tokens joined by spaces. unicode61's default
-- categories ("L* N* Co") treat matras and the virama as separators, so
-- "पुतिन" would index as "प", "त", "न" and match "पुत": the M* category keeps
-- combining marks inside words.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    doc,
    tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
);
