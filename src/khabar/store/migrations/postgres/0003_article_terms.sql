-- khabar store, step 3 (PostgreSQL). Keep the logical schema equal to sqlite/0003_article_terms.sql.
-- The stemmed content words of each article's current headline, standfirst and bullets,
-- space-separated, written at ingest: related() ranks a few hundred candidates by word
-- overlap, and stemming them on every call cost ~0.8 s at 2,000 briefs
-- (benchmarks/web_bench.py). NULL for articles stored before this step: computed on read.

ALTER TABLE articles ADD COLUMN terms TEXT;
