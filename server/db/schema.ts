import type { ColumnType, Generated, RawBuilder } from 'kysely';

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
  office: Geometry | null;
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
  office: Geometry | null;
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
  photo_ref: string | null;
  reporter_account_id: number | null;
  duplicate_of: number | null;
  updated_at: Timestamp | null;
}

export interface TicketEventsTable {
  id: Generated<string>;
  ticket_id: number;
  at: Timestamp;
  status: string;
  actor: string;
  note: string;
  account_id: number | null;
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
  photo_ref: string | null;
  reporter_account_id: number | null;
  updated_at: Timestamp | null;
}

export interface HazardEventsTable {
  id: Generated<string>;
  hazard_id: number;
  at: Timestamp;
  status: string;
  actor: string;
  account_id: number | null;
  note: string;
  photo_ref: string | null;
}

export interface AccountsTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: string;
  area_id: number | null;
  property_company_id: number | null;
  department_id: number | null;
  phone: string | null;
  password_hash: string;
  disabled: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface SessionsTable {
  token_hash: string;
  account_id: number;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}

/** jsonb: written through `jsonb()` in postgis.ts so that both drivers store the same object. */
type Json = ColumnType<unknown, RawBuilder<unknown>, RawBuilder<unknown>>;

export interface AuditLogTable {
  id: Generated<string>;
  at: Generated<Date>;
  account_id: number | null;
  actor: string;
  role: string;
  action: string;
  entity: string;
  entity_id: string;
  area_path: ColumnType<number[], number[] | undefined, never>;
  before: Json;
  after: Json;
}

export interface IdempotencyKeysTable {
  account_id: number;
  key: string;
  request_hash: string;
  status: number | null;
  response: Json;
  created_at: Generated<Date>;
}

export interface WhistlesTable {
  id: Generated<number>;
  code: string;
  level: 'community' | 'subdistrict';
  ticket_id: number | null;
  compound_id: number;
  district_id: number;
  subdistrict_id: number;
  community_id: number;
  grid_id: number;
  geom: Geometry;
  reason: string;
  blown_by: number | null;
  blown_by_name: string;
  blown_at: Timestamp;
  report_due_at: Timestamp;
  resolve_due_at: Timestamp;
  resolved_at: Timestamp | null;
  resolution: string | null;
}

export interface WhistleReportInsTable {
  id: Generated<number>;
  whistle_id: number;
  property_company_id: number | null;
  department_id: number | null;
  reported_at: Timestamp | null;
  reported_by: number | null;
  reported_by_name: string | null;
  note: string | null;
}

export interface PatrolsTable {
  id: Generated<number>;
  account_id: number | null;
  gridworker_name: string;
  district_id: number;
  subdistrict_id: number;
  community_id: number;
  grid_id: number;
  started_at: Timestamp;
  ended_at: Timestamp | null;
  start_geom: Geometry;
  track: Geometry | null;
  distance_m: Generated<number>;
}

export interface PatrolCheckinsTable {
  id: Generated<number>;
  patrol_id: number;
  compound_id: number;
  at: Timestamp;
  geom: Geometry;
  note: Generated<string>;
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

export interface WallPlaylistsTable {
  id: Generated<number>;
  name: string;
  scenes: ColumnType<unknown[], string, string>;
  version: Generated<number>;
  updated_by: number | null;
  updated_at: Generated<Date>;
}

export interface DisplayCredentialsTable {
  id: Generated<number>;
  name: string;
  token_hash: string;
  playlist_id: number | null;
  created_by: number;
  created_at: Generated<Date>;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: number | null;
  last_seen_at: Timestamp | null;
  last_seen_address: string | null;
}

export type ApiKeyScope = 'read' | 'open311';

export interface ApiKeysTable {
  id: Generated<number>;
  name: string;
  account_id: number;
  scopes: ApiKeyScope[];
  token_hash: string;
  token_prefix: string;
  created_by: number;
  created_at: Generated<Date>;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: number | null;
  last_used_at: Timestamp | null;
}

export type WallAlarmKind = 'hazard_major' | 'whistle_late' | 'ticket_overdue_red';

export interface WallAlarmsTable {
  id: Generated<string>;
  kind: WallAlarmKind;
  ref_id: number;
  district_id: number;
  place: string;
  category: string | null;
  severity: string | null;
  geom: Geometry;
  raised_at: Generated<Date>;
  acknowledged_at: Timestamp | null;
  acknowledged_by: number | null;
  acknowledged_by_name: string | null;
}

export interface WallSweepsTable {
  name: string;
  swept_until: Timestamp;
}

type DateColumn = ColumnType<string, string, string>;
/** jsonb written through `jsonb()` (postgis.ts), read as T. */
type JsonOf<T> = ColumnType<T, RawBuilder<unknown>, RawBuilder<unknown>>;

export type PartyOrgKind =
  'community_committee' | 'compound_branch' | 'grid_branch' | 'building_group';
export type PartyPost = 'secretary' | 'deputy_secretary' | 'committee_member' | 'group_leader';

export interface PartyOrgsTable {
  id: Generated<number>;
  kind: PartyOrgKind;
  name: string;
  parent_id: number | null;
  area_id: number;
  area_path: number[];
  founded_on: DateColumn;
}

export interface PartyMembersTable {
  id: Generated<number>;
  org_id: number;
  area_path: number[];
  name: string;
  gender: 'male' | 'female';
  birth_year: number;
  phone: string;
  joined_on: DateColumn;
  post: PartyPost | null;
  building_id: number | null;
  company_id: number | null;
  active: Generated<boolean>;
}

export interface BuildingStewardsTable {
  building_id: number;
  member_id: number;
  since: DateColumn;
}

export interface CompoundPairingsTable {
  compound_id: number;
  kind: 'liaison' | 'caretaker';
  org_id: number;
  since: DateColumn;
}

export interface OwnersCommitteesTable {
  compound_id: number;
  elected_on: DateColumn;
  term_ends_on: DateColumn;
}

export interface CommitteeMembersTable {
  id: Generated<number>;
  compound_id: number;
  name: string;
  phone: string;
  post: 'chair' | 'vice_chair' | 'member';
  party_member_id: number | null;
}

export type GapKind =
  'no_property_company' | 'no_owners_committee' | 'no_party_branch' | 'no_building_steward';

export interface GapTasksTable {
  id: Generated<number>;
  kind: GapKind;
  compound_id: number;
  building_id: number | null;
  area_path: number[];
  status: 'open' | 'assigned' | 'closed';
  assignee: string | null;
  assignee_account_id: number | null;
  due_on: DateColumn | null;
  note: Generated<string>;
  opened_at: Timestamp;
  closed_at: Timestamp | null;
  resolution: 'filled' | 'waived' | null;
}

export interface RatingFollowupsTable {
  id: Generated<number>;
  compound_id: number;
  area_path: number[];
  period: DateColumn;
  cadre_name: string;
  cadre_post: Generated<string>;
  cadre_phone: string | null;
  cadre_account_id: number | null;
  plan: string;
  status: 'open' | 'done' | 'cancelled';
  due_on: DateColumn;
  opened_at: Timestamp;
  closed_at: Timestamp | null;
  outcome: string | null;
}

export interface RatingFollowupStepsTable {
  id: Generated<number>;
  followup_id: number;
  position: number;
  title: string;
  due_on: DateColumn;
  done_at: Timestamp | null;
  note: Generated<string>;
}

export interface CompanyCreditTable {
  company_id: number;
  period: DateColumn;
  score: number;
  grade: 'AAA' | 'AA' | 'A' | 'B' | 'C';
  compounds: number;
  factors: JsonOf<Record<string, unknown>>;
}

export interface CreditListsTable {
  period: DateColumn;
  district_id: number | null;
  list: 'red' | 'black';
  company_id: number;
  rank: number;
  score: number;
}

export interface SupervisionCasesTable {
  id: Generated<number>;
  code: string;
  company_id: number;
  period: DateColumn;
  district_id: number | null;
  department_id: number;
  reason: string;
  status: 'open' | 'rectifying' | 'closed';
  opened_at: Timestamp;
  due_on: DateColumn;
  closed_at: Timestamp | null;
  outcome: string | null;
  accountability: string | null;
}

// 信托制物业 ledgers (migration 0010). Amounts are fen; bigint columns are read as float8.
export interface LedgersTable {
  id: Generated<number>;
  compound_id: number;
  company_id: number;
  area_path: number[];
  period: DateColumn;
  revision: Generated<number>;
  status: 'draft' | 'published' | 'superseded';
  reason: string | null;
  carried: ColumnType<string, number | undefined, number>;
  billed: ColumnType<string, number | undefined, number>;
  collected: ColumnType<string, number | undefined, number>;
  common: ColumnType<string, number | undefined, number>;
  spending: ColumnType<string, number | undefined, number>;
  flags: ColumnType<unknown, string | undefined, string>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  published_at: Timestamp | null;
}

export interface LedgerLinesTable {
  id: Generated<string>;
  ledger_id: number;
  line_no: number;
  category: string;
  counterpart: string;
  amount: ColumnType<string, number, number>;
  occurred_on: DateColumn;
  note: string | null;
}

export interface LedgerDisclosuresTable {
  compound_id: number;
  period: DateColumn;
  company_id: number;
  area_path: number[];
  first_published_at: Timestamp;
}

// 四方联席会议 and the three lists (migration 0009).
type Jsonb = ColumnType<unknown, string, string>;
type Numeric = ColumnType<string, number | string, number | string>;

export interface JointMeetingsTable {
  id: Generated<number>;
  community_id: number;
  area_path: number[];
  held_at: Timestamp;
  place: string;
  attendees: Generated<Jsonb>;
  minutes: Generated<string>;
  account_id: number | null;
  created_at: Generated<Timestamp>;
}

export type ProposalStage =
  'submitted' | 'returned' | 'rejected' | 'accepted' | 'decided' | 'published';

export interface ProposalsTable {
  id: Generated<number>;
  compound_id: number;
  area_path: number[];
  topic: string;
  category: string;
  title: string;
  body: Generated<string>;
  source: 'owner' | 'resident' | 'evidence';
  proposer_name: string | null;
  proposer_phone: string | null;
  evidence: Jsonb | null;
  stage: Generated<ProposalStage>;
  submitted_at: Timestamp;
  staged_at: Timestamp;
  meeting_id: number | null;
  decision: string | null;
  action_owner: string | null;
  due_on: DateColumn | null;
  result: string | null;
  published_on: DateColumn | null;
  account_id: number | null;
}

export interface ProposalStepsTable {
  id: Generated<string>;
  proposal_id: number;
  step: 'submit' | 'resubmit' | 'accept' | 'return' | 'reject' | 'decide' | 'publish';
  at: Timestamp;
  account_id: number | null;
  actor: string;
  fields: Generated<Jsonb>;
}

export interface NeedsTable {
  id: Generated<number>;
  compound_id: number;
  area_path: number[];
  topic: string;
  category: string;
  title: string;
  source: 'proposal' | 'tickets';
  proposal_id: number | null;
  evidence: Jsonb | null;
  status: Generated<'open' | 'matched' | 'done' | 'closed'>;
  created_at: Timestamp;
  account_id: number | null;
}

export interface ResourcesTable {
  id: Generated<number>;
  area_id: number;
  area_path: number[];
  kind: 'space' | 'funds' | 'volunteers' | 'unit';
  name: string;
  provider: string;
  capacity: Numeric;
  unit: 'm2' | 'yuan' | 'hours' | 'times';
  created_at: Timestamp;
  account_id: number | null;
}

export interface ProjectsTable {
  id: Generated<number>;
  need_id: number;
  compound_id: number;
  area_path: number[];
  category: string;
  title: string;
  owner: string;
  budget: Numeric;
  status: Generated<'planned' | 'in_progress' | 'done' | 'cancelled'>;
  started_on: DateColumn;
  due_on: DateColumn;
  completed_on: DateColumn | null;
  created_at: Timestamp;
  account_id: number | null;
}

export interface ProjectResourcesTable {
  id: Generated<number>;
  project_id: number;
  resource_id: number;
  amount: Numeric;
  matched_at: Timestamp;
  matched_by: string;
  account_id: number | null;
}

export interface ProjectMilestonesTable {
  id: Generated<number>;
  project_id: number;
  title: string;
  due_on: DateColumn;
  done_on: DateColumn | null;
}

// Issue 11: service points, 执法进小区 and property-dispute mediation (migration 0011).
export type ServicePointKind =
  | 'party_service'
  | 'deliberation_hall'
  | 'mediation_room'
  | 'elder_care'
  | 'childcare'
  | 'legal_service'
  | 'police_room';

export interface ServicePointsTable {
  id: Generated<number>;
  kind: ServicePointKind;
  name: string;
  area_id: number;
  area_path: number[];
  geom: unknown;
  address: Generated<string>;
  phone: string | null;
  hours: Generated<unknown>;
  note: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  closed_at: Timestamp | null;
}

export interface ServicePointCompoundsTable {
  service_point_id: number;
  compound_id: number;
}

export interface EnforcementVisitsTable {
  id: Generated<number>;
  compound_id: number;
  area_path: number[];
  department_id: number | null;
  team: string;
  visited_on: DateColumn;
  topic: string;
  findings: string;
  ticket_id: number | null;
  hazard_id: number | null;
  account_id: number | null;
  created_at: Generated<Timestamp>;
}

export interface MediationCommitteesTable {
  id: Generated<number>;
  kind: 'company' | 'community';
  name: string;
  property_company_id: number | null;
  area_id: number | null;
  area_path: Generated<number[]>;
  founded_on: DateColumn;
}

export interface MediatorsTable {
  id: Generated<number>;
  committee_id: number;
  name: string;
  phone: string;
  post: 'director' | 'full_time' | 'part_time';
  account_id: number | null;
  active: Generated<boolean>;
}

export interface MediationRoomsTable {
  id: Generated<number>;
  committee_id: number;
  compound_id: number;
  area_path: number[];
  service_point_id: number | null;
  name: string;
}

export interface MediationCasesTable {
  id: Generated<number>;
  code: string;
  committee_id: number;
  kind: 'complaint' | 'consultation' | 'dispute';
  category: string;
  compound_id: number;
  building_id: number | null;
  area_path: number[];
  mediator_id: number | null;
  summary: string;
  status: 'accepted' | 'investigating' | 'mediating' | 'closed' | 'transferred' | 'terminated';
  outcome: 'success' | 'failed' | 'litigation' | 'answered' | 'resolved' | null;
  agreement: string | null;
  received_on: DateColumn;
  closed_on: DateColumn | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface MediationPartiesTable {
  id: Generated<number>;
  case_id: number;
  side: 'applicant' | 'respondent';
  name: string;
  phone: string | null;
}

export interface MediationStepsTable {
  id: Generated<number>;
  case_id: number;
  step: MediationCasesTable['status'];
  on_date: DateColumn;
  note: string | null;
  mediator_id: number | null;
  account_id: number | null;
  created_at: Generated<Timestamp>;
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
  hazard_events: HazardEventsTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyKeysTable;
  whistles: WhistlesTable;
  whistle_report_ins: WhistleReportInsTable;
  patrols: PatrolsTable;
  patrol_checkins: PatrolCheckinsTable;
  wall_playlists: WallPlaylistsTable;
  display_credentials: DisplayCredentialsTable;
  api_keys: ApiKeysTable;
  open311_requests: Open311RequestsTable;
  wall_alarms: WallAlarmsTable;
  wall_sweeps: WallSweepsTable;
  party_orgs: PartyOrgsTable;
  party_members: PartyMembersTable;
  building_stewards: BuildingStewardsTable;
  compound_pairings: CompoundPairingsTable;
  owners_committees: OwnersCommitteesTable;
  committee_members: CommitteeMembersTable;
  gap_tasks: GapTasksTable;
  rating_followups: RatingFollowupsTable;
  rating_followup_steps: RatingFollowupStepsTable;
  company_credit: CompanyCreditTable;
  credit_lists: CreditListsTable;
  supervision_cases: SupervisionCasesTable;
  service_points: ServicePointsTable;
  service_point_compounds: ServicePointCompoundsTable;
  enforcement_visits: EnforcementVisitsTable;
  mediation_committees: MediationCommitteesTable;
  mediators: MediatorsTable;
  mediation_rooms: MediationRoomsTable;
  mediation_cases: MediationCasesTable;
  mediation_parties: MediationPartiesTable;
  mediation_steps: MediationStepsTable;
  ledgers: LedgersTable;
  ledger_lines: LedgerLinesTable;
  ledger_disclosures: LedgerDisclosuresTable;
  joint_meetings: JointMeetingsTable;
  proposals: ProposalsTable;
  proposal_steps: ProposalStepsTable;
  needs: NeedsTable;
  resources: ResourcesTable;
  projects: ProjectsTable;
  project_resources: ProjectResourcesTable;
  project_milestones: ProjectMilestonesTable;
}

/** Requests filed through Open311 (/open311/v2): the ticket, the client system and its ids. */
export interface Open311RequestsTable {
  id: Generated<string>;
  token: string;
  ticket_id: number;
  api_key_id: number;
  request_hash: string;
  client_account_id: string | null;
  device_id: string | null;
  email: string | null;
  attributes: Generated<Record<string, string | string[]>>;
  service_notice: Generated<string>;
  created_at: Generated<Date>;
}
