-- khabar store, step 4 (PostgreSQL). Keep the logical schema equal to sqlite/0004_terms_version.sql.
-- Which version of khabar.store.base.article_terms wrote each article's terms. NULL for
-- terms written before this step (headline, standfirst and bullets only): related() finds
-- rows whose version is not the current TERMS_VERSION, recomputes their terms from the
-- stored brief and writes them back, once.

ALTER TABLE articles ADD COLUMN terms_version INTEGER;
