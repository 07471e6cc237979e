-- khabar store, step 1 (PostgreSQL). Keep the logical schema equal to sqlite/0001_initial.sql.
-- Times are ISO 8601 UTC text on both backends so both return the same strings.

CREATE TABLE articles (
    id           BIGSERIAL PRIMARY KEY,
    url_key      TEXT NOT NULL UNIQUE,
    url          TEXT,
    content_hash TEXT NOT NULL,
    title        TEXT NOT NULL,
    language     TEXT NOT NULL,
    source       TEXT,
    published    TEXT NOT NULL,
    revision     INTEGER NOT NULL DEFAULT 1,
    brief_id     BIGINT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    -- khabar's own tokens through the 'simple' configuration: no stemming and
    -- no stopwords, so a Hindi word matches itself and nothing shorter.
    search_doc   TSVECTOR
);
CREATE INDEX articles_feed ON articles (published DESC, id DESC);
CREATE INDEX articles_language_feed ON articles (language, published DESC, id DESC);
CREATE INDEX articles_source_feed ON articles (source, published DESC, id DESC);
CREATE INDEX articles_hash ON articles (content_hash);
CREATE INDEX articles_url ON articles (url);
CREATE INDEX articles_search ON articles USING GIN (search_doc);

CREATE TABLE briefs (
    id                 BIGSERIAL PRIMARY KEY,
    article_id         BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    revision           INTEGER NOT NULL,
    content_hash       TEXT NOT NULL,
    summarizer         TEXT NOT NULL,
    summarizer_version TEXT NOT NULL,
    khabar_version     TEXT NOT NULL,
    data               JSONB NOT NULL,
    created_at         TEXT NOT NULL
);
CREATE INDEX briefs_article ON briefs (article_id);
CREATE INDEX briefs_summarizer ON briefs (summarizer, summarizer_version);

CREATE TABLE bullets (
    brief_id         BIGINT NOT NULL REFERENCES briefs (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    text             TEXT NOT NULL,
    source_sentences TEXT NOT NULL,
    support          DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (brief_id, position)
);

CREATE TABLE tags (
    id      BIGSERIAL PRIMARY KEY,
    slug    TEXT NOT NULL UNIQUE,
    name    TEXT NOT NULL,
    english TEXT NOT NULL
);

CREATE TABLE article_tags (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    source     TEXT NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags (tag_id, article_id);

CREATE TABLE related_links (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    target     TEXT,
    target_id  BIGINT REFERENCES articles (id) ON DELETE CASCADE,
    score      DOUBLE PRECISION,
    PRIMARY KEY (article_id, kind, position)
);

CREATE TABLE clusters (
    id                BIGSERIAL PRIMARY KEY,
    representative_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    label             TEXT,
    created_at        TEXT NOT NULL
);

CREATE TABLE cluster_members (
    cluster_id BIGINT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, article_id)
);
CREATE INDEX cluster_members_article ON cluster_members (article_id);

CREATE TABLE feedback (
    id         BIGSERIAL PRIMARY KEY,
    brief_id   BIGINT NOT NULL REFERENCES briefs (id) ON DELETE CASCADE,
    useful     BOOLEAN NOT NULL,
    reason     TEXT,
    text       TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX feedback_brief ON feedback (brief_id);
