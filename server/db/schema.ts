import type { ColumnType, Generated } from 'kysely';

/** Geometry columns are read through PostGIS functions (ST_AsGeoJSON, ST_AsBinary...), never raw. */
export type Geometry = ColumnType<string, string, string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type AreaLevel = 'district' | 'subdistrict' | 'community' | 'grid' | 'compound';

export interface AreasTable {
  id: Generated<number>;
  level: AreaLevel;
  parent_id: number | null;
  path: number[];
  code: string | null;
  name: string;
  geom: Geometry;
  label_point: Geometry;
  area_m2: number;
}

export interface PropertyCompaniesTable {
  id: Generated<number>;
  name: string;
  credit_score: number;
  list: 'red' | 'black' | 'none';
  trust_model: boolean;
}

export type Condition = 'good' | 'fair' | 'poor';

export interface CompoundsTable {
  area_id: number;
  year_built: number;
  households: number;
  buildings_count: number;
  property_company_id: number | null;
  has_owners_committee: boolean;
  has_party_branch: boolean;
  parking_spaces: number;
  registered_cars: number;
  pipe_condition: Condition;
  roof_condition: Condition;
  has_elevator: boolean;
  provincial_demonstration: boolean;
}

export interface BuildingsTable {
  id: Generated<number>;
  compound_id: number;
  name: string;
  floors: number;
  households: number;
  geom: Geometry;
}

export interface DepartmentsTable {
  id: Generated<number>;
  code: string;
  name: string;
}

export interface TicketsTable {
  id: Generated<number>;
  code: string;
  category: string;
  channel: string;
  status: string;
  priority: 'normal' | 'urgent';
  title: string;
  description: string;
  resident_name: string | null;
  resident_phone: string | null;
  geom: Geometry;
  district_id: number;
  subdistrict_id: number;
  community_id: number;
  grid_id: number;
  compound_id: number | null;
  property_company_id: number | null;
  department_id: number | null;
  received_at: Timestamp;
  due_at: Timestamp;
  resolved_at: Timestamp | null;
  closed_at: Timestamp | null;
  satisfaction: number | null;
}

export interface TicketEventsTable {
  id: Generated<string>;
  ticket_id: number;
  at: Timestamp;
  status: string;
  actor: string;
  note: string;
}

export interface HazardsTable {
  id: Generated<number>;
  code: string;
  type: string;
  severity: string;
  status: string;
  description: string;
  geom: Geometry;
  district_id: number;
  subdistrict_id: number;
  community_id: number;
  grid_id: number;
  compound_id: number | null;
  reported_at: Timestamp;
  due_at: Timestamp;
  rectified_at: Timestamp | null;
  verified_at: Timestamp | null;
}

export interface CompoundRatingsTable {
  compound_id: number;
  period: ColumnType<string, string, string>;
  color: 'red' | 'yellow' | 'blue';
  score: number;
  indicators: ColumnType<Record<string, number>, string, string>;
}

export interface SchemaMigrationsTable {
  name: string;
  applied_at: Generated<Date>;
}

export interface Database {
  areas: AreasTable;
  property_companies: PropertyCompaniesTable;
  compounds: CompoundsTable;
  buildings: BuildingsTable;
  departments: DepartmentsTable;
  tickets: TicketsTable;
  ticket_events: TicketEventsTable;
  hazards: HazardsTable;
  compound_ratings: CompoundRatingsTable;
  schema_migrations: SchemaMigrationsTable;
}
