-- The order seeds were applied in, independent of the clock they were stamped with: which content of a synced
-- source the catalog follows now is the last one applied.
ALTER TABLE catalog_seeds ADD COLUMN applied_order bigint GENERATED ALWAYS AS IDENTITY;
