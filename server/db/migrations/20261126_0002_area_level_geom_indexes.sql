-- One GiST index per level. `level = 'compound' AND geom && box` on the shared index (or a seq
-- scan, which PostgreSQL picks when a level holds a quarter of the rows) reads and detoasts the
-- large district and subdistrict outlines too: 0.7 s for a city-scale viewport of compounds.
-- migrate:up
CREATE INDEX areas_district_geom_idx ON areas USING gist (geom) WHERE level = 'district';
CREATE INDEX areas_subdistrict_geom_idx ON areas USING gist (geom) WHERE level = 'subdistrict';
CREATE INDEX areas_community_geom_idx ON areas USING gist (geom) WHERE level = 'community';
CREATE INDEX areas_grid_geom_idx ON areas USING gist (geom) WHERE level = 'grid';
CREATE INDEX areas_compound_geom_idx ON areas USING gist (geom) WHERE level = 'compound';

-- migrate:down
DROP INDEX IF EXISTS areas_compound_geom_idx;
DROP INDEX IF EXISTS areas_grid_geom_idx;
DROP INDEX IF EXISTS areas_community_geom_idx;
DROP INDEX IF EXISTS areas_subdistrict_geom_idx;
DROP INDEX IF EXISTS areas_district_geom_idx;
