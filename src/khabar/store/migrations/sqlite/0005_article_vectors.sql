-- khabar store, step 5 (SQLite). Keep the logical schema equal to postgres/0005_article_vectors.sql.
-- One embedding per article, of its brief `brief_id` (a newer brief makes it stale: the
-- article is in the backlog again). Written by `khabar vectors`
-- (khabar.enrich.vectors.fill_vectors); related() blends its cosine with the word score.
-- `id` rises with every write, so an index in another process syncs by it.

CREATE TABLE article_vectors (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE,
    brief_id   INTEGER NOT NULL,
    model      TEXT NOT NULL,
    vector     BLOB NOT NULL        -- float16, little-endian, L2-normalised
);
