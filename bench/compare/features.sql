-- Hearth's household features (src/engine/features.cc) and default rules (data/policy/default.toml)
-- as SQL, for DuckDB and PostgreSQL. A line starting with `--@duckdb ` or `--@postgres ` is that
-- engine's only (compare.mjs keeps the rest of the line for it and drops it for the other): the
-- dialects differ in those lines alone. Hand-translated, not generated: when features.cc or
-- default.toml change, change this file (bench/compare/run checks it against Hearth's warnings).
--
-- compare.mjs runs the file step by step ("-- @step NAME" starts a step) and times each:
--   schema, load    the tables Hearth keeps in SQLite, from the CSV files exported from it
--   prepare         whatever the engine wants before querying (statistics)
--   features        one row per household: the 30 features as of {{AS_OF}}
--   rules           the 15 rules over the features: the warned households, category, severity,
--                   score and fired rules, as Hearth stores them in `warnings`
-- {{CSV}} is the directory of the exported CSV files, {{AS_OF}} the date screened as of.
--
-- Exactness as in Hearth: money is BIGINT fen, dates are integer days since 1970-01-01, every
-- division rounds down (fdiv), pro rata is floor(monthly x days x 12 / 365), and the decimal
-- triggers (0.5, 0.7, 0.3) are applied by multiplying both sides by 10.

-- @step schema
-- No keys or indexes: every query below scans whole tables and joins by hashing.
-- `/` between integers divides as integers (PostgreSQL's default; DuckDB's when asked).
--@duckdb SET integer_division = true;
-- Floor division (Hearth's FloorDiv); `/` truncates toward zero. On PostgreSQL a one-expression
-- SQL function: the planner inlines it.
--@duckdb CREATE MACRO fdiv(a, b) AS (a / b - CASE WHEN a % b <> 0 AND (a < 0) <> (b < 0) THEN 1 ELSE 0 END);
--@postgres CREATE FUNCTION fdiv(a BIGINT, b BIGINT) RETURNS BIGINT LANGUAGE sql IMMUTABLE PARALLEL SAFE
--@postgres   RETURN a / b - CASE WHEN a % b <> 0 AND (a < 0) <> (b < 0) THEN 1 ELSE 0 END;

CREATE TABLE households (
  id              BIGINT NOT NULL,
  household_code  VARCHAR NOT NULL,
  village_code    VARCHAR NOT NULL,
  household_type  INTEGER NOT NULL,   -- 1 脱贫户, 2 一般农户
  relocation_site VARCHAR,
  housing_grade   VARCHAR,
  water_safe      INTEGER
);
CREATE TABLE persons (
  id               BIGINT NOT NULL,
  household_id     BIGINT NOT NULL,
  id_number        VARCHAR NOT NULL,
  birth_date       INTEGER NOT NULL,  -- days since 1970-01-01
  health           INTEGER NOT NULL,  -- 1 健康, 2 长期慢性病, 3 患有大病, 4 残疾
  disability_grade INTEGER,
  labour           INTEGER NOT NULL,  -- 1 普通, 2 技能, 3 弱/半, 4 丧失, 5 无劳动力
  schooling        INTEGER NOT NULL,  -- 8 失学/辍学
  insured          INTEGER NOT NULL,
  months_worked    INTEGER
);
CREATE TABLE incomes (
  household_id      BIGINT NOT NULL,
  year              INTEGER NOT NULL,
  wage_fen          BIGINT NOT NULL,
  business_fen      BIGINT NOT NULL,
  property_fen      BIGINT NOT NULL,
  transfer_fen      BIGINT NOT NULL,
  business_cost_fen BIGINT NOT NULL
);
CREATE TABLE events (
  id               BIGINT NOT NULL,
  type             VARCHAR NOT NULL,
  household_id     BIGINT,            -- NULL for a fact about a village as a whole
  person_id_number VARCHAR,
  effective_date   INTEGER NOT NULL,  -- days since 1970-01-01
  recorded_at      BIGINT NOT NULL,
  amount_fen       BIGINT,
--@duckdb   payload          JSON NOT NULL,
--@postgres   payload          JSONB NOT NULL,
  event_key        VARCHAR,
  supersedes       BIGINT,
  village_code     VARCHAR
);

-- @step load
COPY households FROM '{{CSV}}/households.csv' (FORMAT csv, HEADER true);
COPY persons FROM '{{CSV}}/persons.csv' (FORMAT csv, HEADER true);
COPY incomes FROM '{{CSV}}/incomes.csv' (FORMAT csv, HEADER true);
COPY events FROM '{{CSV}}/events.csv' (FORMAT csv, HEADER true);

-- @step prepare
-- Statistics for PostgreSQL's planner, and the visibility map (a first scan would write hint
-- bits); DuckDB keeps its statistics as it loads.
--@duckdb CHECKPOINT;
--@postgres VACUUM ANALYZE;

-- @step reset
-- Before each timed run (not timed): the tables of the previous run.
DROP TABLE IF EXISTS decisions;
DROP TABLE IF EXISTS features;
DROP TABLE IF EXISTS hh;
DROP TABLE IF EXISTS person_ev;
DROP TABLE IF EXISTS job_loss;
DROP TABLE IF EXISTS ev;
DROP TABLE IF EXISTS params;

-- @step features
-- In stages, each a table with statistics (ANALYZE): PostgreSQL's planner cannot estimate the
-- rows of a CTE filtered on payload fields, and the whole computation as one statement of CTEs
-- got nested loops over them (461 s for 100,000 households). DuckDB plans the one statement
-- well, but runs the same stages here so that both do the same work.

-- The window is the 12 calendar months ending with the as-of month (to the as-of date); the
-- previous window the 12 months before. y0 is the previous window's first year: the registered
-- years the windows use are y0, y0 + 1, y0 + 2.
CREATE TABLE params AS
SELECT as_of, as_year, cur_from, prev_from, cur_from - 1 AS prev_to,
       CAST(date_part('year', DATE '1970-01-01' + prev_from) AS INTEGER) AS y0,
       CAST(date_part('month', DATE '1970-01-01' + cur_from) AS INTEGER) AS m0,
       CAST(date_part('year', DATE '1970-01-01' + (cur_from - 1)) AS INTEGER) AS prev_to_year,
       -- month * 100 + day of the as-of date, for ages
       CAST(date_part('month', DATE '{{AS_OF}}') * 100 + date_part('day', DATE '{{AS_OF}}') AS INTEGER) AS as_md
FROM (
  SELECT CAST(d - DATE '1970-01-01' AS INTEGER) AS as_of, y AS as_year,
         CAST(make_date((y * 12 + m - 1 - 11) / 12, (y * 12 + m - 1 - 11) % 12 + 1, 1) - DATE '1970-01-01' AS INTEGER) AS cur_from,
         CAST(make_date((y * 12 + m - 1 - 23) / 12, (y * 12 + m - 1 - 23) % 12 + 1, 1) - DATE '1970-01-01' AS INTEGER) AS prev_from
  FROM (SELECT DATE '{{AS_OF}}' AS d,
               CAST(date_part('year', DATE '{{AS_OF}}') AS INTEGER) AS y,
               CAST(date_part('month', DATE '{{AS_OF}}') AS INTEGER) AS m) a) b;
ANALYZE params;

-- The events in force by the as-of date, per household, with the payload fields the features
-- read (engine/payload.cc):
--   what   registration.change: change; assistance.grant: type; medical.claim: visit_type;
--          housing.appraisal: grade; water.assessment: 'fail' when an aspect is 不达标;
--          otherwise (employment, school, enrolment): status
--   p_start, p_end, post_type of assistance grants and jobs (dates as days).
-- Facts about a village as a whole count for each of its households.
CREATE TABLE ev AS
WITH
-- Feed facts are the events with a key; with the retractions (sqlite_warnings.cc kFactEvent)
-- they are read in sets: a household's, or, for facts about a village as a whole, the
-- village's (scope). Corrections and retractions stop the event they name unless they are
-- themselves retracted; an event is in force unless such an event of its set supersedes it
-- (KeepInForce).
stopper AS (
  SELECT s.supersedes AS target, COALESCE(CAST(s.household_id AS VARCHAR), 'v' || COALESCE(s.village_code, '')) AS scope
  FROM events s
  LEFT JOIN events r ON r.supersedes = s.id AND r.type = 'retraction'
                    AND COALESCE(CAST(r.household_id AS VARCHAR), 'v' || COALESCE(r.village_code, ''))
                        = COALESCE(CAST(s.household_id AS VARCHAR), 'v' || COALESCE(s.village_code, ''))
  WHERE s.supersedes IS NOT NULL AND (s.event_key IS NOT NULL OR s.type = 'retraction') AND r.id IS NULL
),
live AS (
  SELECT e.* FROM events e
  LEFT JOIN stopper st ON st.target = e.id
                      AND st.scope = COALESCE(CAST(e.household_id AS VARCHAR), 'v' || COALESCE(e.village_code, ''))
  WHERE e.event_key IS NOT NULL AND e.type <> 'retraction' AND st.target IS NULL
),
ev1 AS (
  SELECT e.id, e.household_id, e.village_code, e.type, COALESCE(e.person_id_number, '') AS pid,
         e.effective_date AS eff, COALESCE(e.amount_fen, 0) AS amount,
         CASE e.type
           WHEN 'registration.change' THEN e.payload->>'change'
           WHEN 'assistance.grant' THEN e.payload->>'type'
           WHEN 'medical.claim' THEN e.payload->>'visit_type'
           WHEN 'housing.appraisal' THEN e.payload->>'grade'
           WHEN 'water.assessment' THEN
             CASE WHEN (e.payload->>'quantity') = '不达标' OR (e.payload->>'quality') = '不达标'
                    OR (e.payload->>'convenience') = '不达标' OR (e.payload->>'assurance') = '不达标'
                  THEN 'fail' ELSE 'ok' END
           ELSE e.payload->>'status'
         END AS what,
         CASE WHEN e.type IN ('assistance.grant', 'employment.status')
              THEN CAST(e.payload->>'start' AS DATE) - DATE '1970-01-01' END AS p_start,
         CASE WHEN e.type IN ('assistance.grant', 'employment.status')
              THEN CAST(e.payload->>'end' AS DATE) - DATE '1970-01-01' END AS p_end,
         CASE WHEN e.type = 'employment.status' THEN e.payload->>'post_type' END AS post_type
  FROM live e, params
  WHERE e.effective_date <= params.as_of   -- events effective after the as-of date are ignored
)
SELECT household_id AS hid, id, type, pid, eff, amount, what, p_start, p_end, post_type
FROM ev1 WHERE household_id IS NOT NULL
UNION ALL
SELECT h.id AS hid, e.id, e.type, e.pid, e.eff, e.amount, e.what, e.p_start, e.p_end, e.post_type
FROM ev1 e JOIN households h ON h.village_code = e.village_code
WHERE e.household_id IS NULL;
ANALYZE ev;

-- Every job loss (lost on the report's end date, else its start) with the member's next job
-- start after it (人社 就业 reports with a start date): the loss lasts until the day before.
CREATE TABLE job_loss AS
SELECT u.hid, u.id, u.pid, u.lost, MIN(j.p_start) AS next_start
FROM (SELECT hid, id, pid, COALESCE(p_end, p_start, eff) AS lost FROM ev
      WHERE type = 'employment.status' AND what = '失业') u
LEFT JOIN (SELECT hid, pid, p_start FROM ev
           WHERE type = 'employment.status' AND what = '就业' AND p_start IS NOT NULL) j
  ON j.hid = u.hid AND j.pid = u.pid AND j.p_start > u.lost
GROUP BY u.hid, u.id, u.pid, u.lost;
ANALYZE job_loss;

-- What the events say about each person of a household (one row per household and ID number
-- named by a 公安, 残联, 教育, 医保 enrolment or 人社 report), and the registered member it is:
--   left_on     the first death or move out (a member counts no more from that day)
--   arrivals    births and moves in reported (members when the person is not registered)
--   certified   a 残联 certificate issued
--   *_key       the latest report (by effective date, then id) of 教育, 医保 enrolment and 人社,
--               as (eff * 2^32 + id) * 2 + flag, so that MAX finds it and the flag says:
--               辍学; 参保; a job loss with no next job (event ids stay below 2^32)
CREATE TABLE person_ev AS
SELECT a.hid, a.pid, a.left_on, a.arrivals, a.certified,
       -- the flag of the latest report, NULL without one
       a.school_key - 2 * fdiv(a.school_key, 2) AS school_out,
       a.enrol_key - 2 * fdiv(a.enrol_key, 2) AS enrolled,
       a.job_key - 2 * fdiv(a.job_key, 2) AS jobless,
       p.labour, CASE WHEN p.id_number IS NOT NULL THEN 1 ELSE 0 END AS registered
FROM (
  SELECT e.hid, e.pid,
         MIN(CASE WHEN e.type = 'registration.change' AND e.what IN ('死亡', '迁出') THEN e.eff END) AS left_on,
         CAST(SUM(CASE WHEN e.type = 'registration.change' AND e.what IN ('出生', '迁入') THEN 1 ELSE 0 END) AS BIGINT) AS arrivals,
         MAX(CASE WHEN e.type = 'disability.certificate' THEN 1 ELSE 0 END) AS certified,
         MAX(CASE WHEN e.type = 'school.status'
                  THEN (e.eff * 4294967296 + e.id) * 2 + CASE WHEN e.what = '辍学' THEN 1 ELSE 0 END END) AS school_key,
         MAX(CASE WHEN e.type = 'medical.enrolment'
                  THEN (e.eff * 4294967296 + e.id) * 2 + CASE WHEN e.what = '参保' THEN 1 ELSE 0 END END) AS enrol_key,
         MAX(CASE WHEN e.type = 'employment.status'
                  THEN (e.eff * 4294967296 + e.id) * 2
                       + CASE WHEN e.what = '失业' AND u.next_start IS NULL THEN 1 ELSE 0 END END) AS job_key
  FROM ev e
  LEFT JOIN job_loss u ON u.hid = e.hid AND u.id = e.id
  WHERE e.type IN ('registration.change', 'disability.certificate', 'school.status', 'medical.enrolment',
                   'employment.status')
  GROUP BY e.hid, e.pid
) a
LEFT JOIN persons p ON p.household_id = a.hid AND p.id_number = a.pid;
ANALYZE person_ev;

-- Per household: members at the as-of date and what they count as, registered income of each
-- window (the months of its two calendar years, floor of the sum / 12) and one earner's
-- monthly registered wage (of the year of the window's end; 0 without earners).
CREATE TABLE hh AS
WITH
member AS (
  SELECT p.household_id AS hid, p.labour, p.health, p.months_worked,
         CASE WHEN e.left_on IS NULL THEN 1 ELSE 0 END AS living,
         CASE WHEN p.health = 4 OR p.disability_grade IS NOT NULL OR e.certified = 1 THEN 1 ELSE 0 END AS disabled,
         -- age in whole years at the as-of date (Date::YearsUntil); compulsory school ages 6-15
         -- (policy [findings] school_age_from/to): the latest 教育 report, else the registry
         CASE WHEN p.age < 6 OR p.age > 15 THEN 0
              WHEN e.school_out IS NOT NULL THEN e.school_out
              WHEN p.schooling = 8 THEN 1 ELSE 0 END AS dropout,
         -- not insured: the latest 医保 enrolment report, else the registry
         CASE WHEN e.enrolled IS NOT NULL THEN 1 - e.enrolled
              WHEN p.insured = 0 THEN 1 ELSE 0 END AS uninsured,
         COALESCE(e.jobless, 0) AS jobless
  FROM (SELECT p.*, params.as_year - CAST(date_part('year', p.born) AS INTEGER)
                 - CASE WHEN params.as_md < CAST(date_part('month', p.born) * 100 + date_part('day', p.born) AS INTEGER)
                        THEN 1 ELSE 0 END AS age
        FROM (SELECT *, DATE '1970-01-01' + birth_date AS born FROM persons) p, params) p
  LEFT JOIN person_ev e ON e.hid = p.household_id AND e.pid = p.id_number
),
mem_agg AS (
  SELECT hid,
         COUNT(*) FILTER (WHERE living = 1) AS living_registered,
         COUNT(*) FILTER (WHERE living = 1 AND labour IN (1, 2)) AS labour,
         COUNT(*) FILTER (WHERE living = 1 AND labour = 3) AS weak,
         COUNT(*) FILTER (WHERE living = 1 AND labour IN (4, 5)) AS no_labour,
         COUNT(*) FILTER (WHERE living = 1 AND health IN (2, 3)) AS ill,
         COUNT(*) FILTER (WHERE living = 1 AND disabled = 1) AS disabled,
         CAST(SUM(months_worked) FILTER (WHERE living = 1) AS BIGINT) AS months_worked,
         COUNT(*) FILTER (WHERE living = 1 AND dropout = 1) AS dropouts,
         COUNT(*) FILTER (WHERE living = 1 AND uninsured = 1) AS uninsured,
         COUNT(*) FILTER (WHERE living = 1 AND jobless = 1) AS jobless,
         -- earners of the registered wage income: every registered member able to work at all
         COUNT(*) FILTER (WHERE labour IN (1, 2, 3)) AS workers
  FROM member GROUP BY hid
),
-- Persons 公安 reports born or moved in who are not registered members (one per report).
joined AS (
  SELECT hid, CAST(SUM(arrivals) AS BIGINT) AS n FROM person_ev WHERE registered = 0 GROUP BY hid
),
-- The registered year each month uses: the latest year by then, else the first year.
inc_year AS (
  SELECT i.household_id AS hid,
         COALESCE(MAX(i.year) FILTER (WHERE i.year <= p.y0), MIN(i.year)) AS yr0,
         COALESCE(MAX(i.year) FILTER (WHERE i.year <= p.y0 + 1), MIN(i.year)) AS yr1,
         COALESCE(MAX(i.year) FILTER (WHERE i.year <= p.y0 + 2), MIN(i.year)) AS yr2
  FROM incomes i, params p GROUP BY i.household_id
),
inc AS (
  SELECT y.hid,
         MAX(CASE WHEN i.year = y.yr0 THEN i.net END) AS net0, MAX(CASE WHEN i.year = y.yr0 THEN i.wage_fen END) AS wage0,
         MAX(CASE WHEN i.year = y.yr1 THEN i.net END) AS net1, MAX(CASE WHEN i.year = y.yr1 THEN i.wage_fen END) AS wage1,
         MAX(CASE WHEN i.year = y.yr2 THEN i.net END) AS net2, MAX(CASE WHEN i.year = y.yr2 THEN i.wage_fen END) AS wage2
  FROM inc_year y
  JOIN (SELECT household_id, year, wage_fen,
               wage_fen + business_fen + property_fen + transfer_fen - business_cost_fen AS net FROM incomes) i
    ON i.household_id = y.hid
  GROUP BY y.hid
)
SELECT h.id AS hid, h.household_code, h.village_code, h.household_type, h.relocation_site,
       h.housing_grade, h.water_safe,
       COALESCE(m.living_registered, 0) + COALESCE(j.n, 0) AS members,
       COALESCE(m.labour, 0) AS labour, COALESCE(m.weak, 0) AS weak, COALESCE(m.no_labour, 0) AS no_labour,
       COALESCE(m.ill, 0) AS ill, COALESCE(m.disabled, 0) AS disabled, COALESCE(m.months_worked, 0) AS months_worked,
       COALESCE(m.dropouts, 0) AS dropouts, COALESCE(m.uninsured, 0) AS uninsured, COALESCE(m.jobless, 0) AS jobless,
       fdiv((13 - p.m0) * COALESCE(i.net1, 0) + (p.m0 - 1) * COALESCE(i.net2, 0), 12) AS reg_cur,
       fdiv((13 - p.m0) * COALESCE(i.net0, 0) + (p.m0 - 1) * COALESCE(i.net1, 0), 12) AS reg_prev,
       CASE WHEN COALESCE(m.workers, 0) = 0 OR i.hid IS NULL THEN 0
            ELSE fdiv(CASE p.as_year - p.y0 WHEN 1 THEN i.wage1 ELSE i.wage2 END, 12 * m.workers) END AS share_cur,
       CASE WHEN COALESCE(m.workers, 0) = 0 OR i.hid IS NULL THEN 0
            ELSE fdiv(CASE p.prev_to_year - p.y0 WHEN 0 THEN i.wage0 ELSE i.wage1 END, 12 * m.workers) END AS share_prev
FROM households h
CROSS JOIN params p
LEFT JOIN mem_agg m ON m.hid = h.id
LEFT JOIN joined j ON j.hid = h.id
LEFT JOIN inc i ON i.hid = h.id;
ANALYZE hh;

CREATE TABLE features AS
WITH
-- The events that adjust a window's income (Adjustments in features.cc): either one amount on
-- a day (kind 'once': 临时救助 + on its start, a disaster loss - on its day), or a monthly
-- amount pro rata over a span of days (kind 'span'; base NULL: the window's registered wage
-- share of one earner):
--   低保, 特困 (any other grant)  + the monthly amount from its start to its end or the as-of date
--   公益性岗位 wages              + the same
--   a job loss                    - the job's monthly wage (else the wage share) from the day after
--                                   it was lost to the day before the member's next job or the
--                                   as-of date, at most to the day before the member left
--   the death of an earner        - the wage share from that day to the window's end
inc_ev AS (
  SELECT e.hid, e.type, e.what,
         CASE WHEN e.type = 'disaster.loss' OR (e.type = 'assistance.grant' AND e.what = '临时救助')
              THEN 'once' ELSE 'span' END AS kind,
         CASE WHEN e.type = 'disaster.loss' THEN -e.amount ELSE e.amount END AS once_amount,
         CASE WHEN e.type = 'disaster.loss' THEN e.eff ELSE COALESCE(e.p_start, e.eff) END AS once_on,
         CASE WHEN e.what IN ('失业', '死亡') THEN -1 ELSE 1 END AS sign,
         CASE WHEN e.what = '死亡' OR (e.what = '失业' AND e.amount <= 0) THEN NULL ELSE e.amount END AS base,
         CASE WHEN e.what = '失业' THEN u.lost + 1
              WHEN e.what = '死亡' THEN e.eff
              ELSE COALESCE(e.p_start, e.eff) END AS span_from,
         CASE WHEN e.what = '失业' THEN LEAST(COALESCE(u.next_start - 1, p.as_of), COALESCE(pe.left_on - 1, p.as_of))
              WHEN e.what = '死亡' THEN 2147483647
              ELSE LEAST(COALESCE(e.p_end, p.as_of), p.as_of) END AS span_to
  FROM ev e
  CROSS JOIN params p
  LEFT JOIN job_loss u ON u.hid = e.hid AND u.id = e.id
  LEFT JOIN person_ev pe ON pe.hid = e.hid AND pe.pid = e.pid
  WHERE e.type IN ('assistance.grant', 'disaster.loss')
     OR (e.type = 'employment.status' AND (e.what = '失业' OR (e.what = '就业' AND e.post_type = '公益性岗位')))
     OR (e.type = 'registration.change' AND e.what = '死亡' AND pe.registered = 1 AND pe.labour IN (1, 2, 3))
),
-- Each income event's effect on each window [f, t]: a day's amount when the day is in it, or
-- pro rata over the days of the span in it, GREATEST(0, LEAST(span_to, t) - GREATEST(span_from, f) + 1).
adj AS (
  SELECT x.hid,
         CAST(SUM(CASE WHEN x.type <> 'assistance.grant' THEN 0
                       WHEN x.kind = 'once' THEN CASE WHEN x.once_on BETWEEN p.cur_from AND p.as_of THEN x.once_amount ELSE 0 END
                       ELSE fdiv(x.base * GREATEST(0, LEAST(x.span_to, p.as_of) - GREATEST(x.span_from, p.cur_from) + 1) * 12, 365)
                  END) AS BIGINT) AS assistance_cur,
         CAST(SUM(CASE WHEN x.kind = 'once' THEN CASE WHEN x.once_on BETWEEN p.cur_from AND p.as_of THEN x.once_amount ELSE 0 END
                       ELSE x.sign * fdiv(COALESCE(x.base, h.share_cur)
                                          * GREATEST(0, LEAST(x.span_to, p.as_of) - GREATEST(x.span_from, p.cur_from) + 1) * 12, 365)
                  END) AS BIGINT) AS adj_cur,
         CAST(SUM(CASE WHEN x.kind = 'once' THEN CASE WHEN x.once_on BETWEEN p.prev_from AND p.prev_to THEN x.once_amount ELSE 0 END
                       ELSE x.sign * fdiv(COALESCE(x.base, h.share_prev)
                                          * GREATEST(0, LEAST(x.span_to, p.prev_to) - GREATEST(x.span_from, p.prev_from) + 1) * 12, 365)
                  END) AS BIGINT) AS adj_prev,
         -- a 低保 or 特困 grant runs on the as-of date
         MAX(CASE WHEN x.type = 'assistance.grant' AND x.what IN ('低保', '特困')
                       AND x.span_from <= p.as_of AND x.span_to >= p.as_of THEN 1 ELSE 0 END) AS has_assistance
  FROM inc_ev x
  CROSS JOIN params p
  JOIN hh h ON h.hid = x.hid
  GROUP BY x.hid
),
-- The latest 住建 appraisal and 水利 assessment of the household (any member, or its village).
-- As in person_ev: (eff * 2^32 + id) * 2 + flag, the flag saying C or D, and fails.
latest_home AS (
  SELECT hid, house_key - 2 * fdiv(house_key, 2) AS house_unsafe, water_key - 2 * fdiv(water_key, 2) AS water_unsafe
  FROM (SELECT hid,
               MAX(CASE WHEN type = 'housing.appraisal'
                        THEN (eff * 4294967296 + id) * 2 + CASE WHEN what IN ('C', 'D') THEN 1 ELSE 0 END END) AS house_key,
               MAX(CASE WHEN type = 'water.assessment'
                        THEN (eff * 4294967296 + id) * 2 + CASE WHEN what = 'fail' THEN 1 ELSE 0 END END) AS water_key
        FROM ev WHERE type IN ('housing.appraisal', 'water.assessment')
        GROUP BY hid) x
),
-- Spending in the current window (events effective in it).
spend AS (
  SELECT e.hid,
         CAST(SUM(CASE WHEN e.type = 'medical.claim' THEN e.amount ELSE 0 END) AS BIGINT) AS medical,
         MAX(CASE WHEN e.type = 'medical.claim' AND e.what = '住院' AND e.amount > 0 THEN e.amount ELSE 0 END) AS max_stay,
         CAST(SUM(CASE WHEN e.type = 'school.status' THEN e.amount ELSE 0 END) AS BIGINT) AS schooling,
         CAST(SUM(CASE WHEN e.type = 'disaster.loss' THEN e.amount ELSE 0 END) AS BIGINT) AS disaster
  FROM ev e, params p
  WHERE e.eff >= p.cur_from AND e.type IN ('medical.claim', 'school.status', 'disaster.loss')
  GROUP BY e.hid
),
-- The policy's monitoring lines ([[monitoring_line]] of default.toml): the line of the as-of
-- year (or the latest earlier year) and the household's most specific area.
lines AS (
  SELECT * FROM (VALUES ('65', 2021, 600000), ('65', 2022, 600000), ('65', 2023, 600000),
                        ('65', 2024, 600000), ('65', 2025, 600000), ('65', 2026, 600000)) AS t(area, year, fen)
),
village_line AS (
  SELECT village_code, fen FROM (
    SELECT v.village_code, l.fen,
           ROW_NUMBER() OVER (PARTITION BY v.village_code ORDER BY l.year DESC, length(l.area) DESC) AS rn
    FROM (SELECT DISTINCT village_code FROM households) v
    JOIN lines l ON v.village_code LIKE l.area || '%'
    JOIN params p ON l.year <= p.as_year) x
  WHERE rn = 1
),
-- Income of each window: registered plus the events' adjustments; per person, rounded down.
income AS (
  SELECT h.*, COALESCE(a.assistance_cur, 0) AS assistance_12m, COALESCE(a.has_assistance, 0) AS has_assistance,
         h.reg_cur + COALESCE(a.adj_cur, 0) AS income_12m,
         h.reg_prev + COALESCE(a.adj_prev, 0) AS income_prev_12m
  FROM hh h LEFT JOIN adj a ON a.hid = h.hid
),
pc AS (
  SELECT i.*,
         CASE WHEN i.members > 0 THEN fdiv(i.income_12m, i.members) ELSE i.income_12m END AS income_pc_12m,
         CASE WHEN i.members > 0 THEN fdiv(i.income_prev_12m, i.members) ELSE i.income_prev_12m END AS income_pc_prev_12m
  FROM income i
)
SELECT
  h.hid,
  h.household_code,
  h.income_12m,                                                    -- income_12m
  h.income_prev_12m,                                               -- income_prev_12m
  h.income_pc_12m,                                                 -- income_pc_12m
  h.income_pc_prev_12m,                                            -- income_pc_prev_12m
  CASE WHEN h.income_pc_prev_12m > 0
       THEN fdiv((h.income_pc_12m - h.income_pc_prev_12m) * 1000, h.income_pc_prev_12m)
       ELSE 0 END AS income_change_pct,                            -- income_change_pct (0.1 %)
  COALESCE(s.medical, 0) AS medical_selfpay_12m,                   -- medical_selfpay_12m
  COALESCE(s.max_stay, 0) AS max_stay_selfpay,                     -- max_stay_selfpay
  COALESCE(s.schooling, 0) AS schooling_cost_12m,                  -- schooling_cost_12m
  COALESCE(s.disaster, 0) AS disaster_loss_12m,                    -- disaster_loss_12m
  h.assistance_12m,                                                -- assistance_12m
  COALESCE(s.medical, 0) + COALESCE(s.schooling, 0) AS rigid_12m,  -- rigid_12m
  COALESCE(vl.fen, 0) AS line,                                     -- line
  h.members,                                                       -- members
  h.labour AS members_labour,                                      -- members_labour
  h.weak AS members_weak_labour,                                   -- members_weak_labour
  h.no_labour AS members_no_labour,                                -- members_no_labour
  h.ill AS members_ill,                                            -- members_ill
  h.disabled AS members_disabled,                                  -- members_disabled
  CASE WHEN h.members = 0 THEN 0
       ELSE (h.members - h.labour) * 100 / h.members END AS dependency_ratio,  -- dependency_ratio (0.01)
  h.months_worked AS months_worked,                                -- months_worked
  h.jobless AS jobless_members,                                    -- jobless_members
  h.dropouts AS dropouts,                                          -- dropouts
  h.uninsured AS uninsured_members,                                -- uninsured_members
  CASE WHEN h.household_type = 1 THEN 1 ELSE 0 END AS is_tuopin,   -- is_tuopin
  CASE WHEN COALESCE(h.relocation_site, '') <> '' THEN 1 ELSE 0 END AS is_relocated,  -- is_relocated
  h.has_assistance,                                                -- has_assistance
  CASE WHEN h.dropouts > 0 THEN 1 ELSE 0 END AS lacks_school,           -- lacks_school
  CASE WHEN h.uninsured > 0 THEN 1 ELSE 0 END AS lacks_medical,         -- lacks_medical
  CASE WHEN lh.house_unsafe IS NOT NULL THEN lh.house_unsafe
       WHEN h.housing_grade IN ('C', 'D') THEN 1 ELSE 0 END AS lacks_housing,        -- lacks_housing
  CASE WHEN lh.water_unsafe IS NOT NULL THEN lh.water_unsafe
       WHEN h.water_safe = 0 THEN 1 ELSE 0 END AS lacks_water                         -- lacks_water
FROM pc h
LEFT JOIN spend s ON s.hid = h.hid
LEFT JOIN latest_home lh ON lh.hid = h.hid
LEFT JOIN village_line vl ON vl.village_code = h.village_code;

-- @step rules
-- The 15 default rules ([[rule]] of default.toml, in file order) over the features; a household
-- is warned when a rule with a category fires, in the first category (unstable, edge, sudden) of
-- its fired rules. Severity is the highest (lowest number) of all fired rules; the score adds the
-- fired rules' weights ([score] severity_points 100/40/10), up to 200 for the shortfall of
-- income per person after rigid spending below the line, and up to 50 for rigid spending
-- against the previous 12 months' income (Engine::Score). `rules` lists the fired rules by
-- severity, then in file order, as Hearth stores them.
CREATE TABLE decisions AS
WITH fired AS (
  SELECT f.*,
    CASE WHEN is_tuopin = 1 AND income_pc_12m < line THEN 1 ELSE 0 END AS r_tuopin_below_line,         -- sev 1, unstable
    CASE WHEN is_tuopin = 0 AND income_pc_12m < line THEN 1 ELSE 0 END AS r_general_below_line,        -- sev 2, edge
    CASE WHEN max_stay_selfpay > 0 AND max_stay_selfpay * 10 > 5 * income_prev_12m THEN 1 ELSE 0 END AS r_stay_over_income,      -- sev 1, sudden (rigid_share 0.5)
    CASE WHEN rigid_12m > 0 AND income_12m - rigid_12m < members * line THEN 1 ELSE 0 END AS r_rigid_below_line,  -- sev 1, sudden
    CASE WHEN is_tuopin = 1 AND medical_selfpay_12m >= 500000 THEN 1 ELSE 0 END AS r_medical_selfpay_tuopin,     -- sev 2, sudden
    CASE WHEN is_tuopin = 0 AND medical_selfpay_12m >= 2000000 THEN 1 ELSE 0 END AS r_medical_selfpay_general,   -- sev 2, sudden
    CASE WHEN (is_tuopin = 1 AND max_stay_selfpay > 600000) OR max_stay_selfpay > 1000000 THEN 1 ELSE 0 END
      AS r_hospital_stay_large,                                                                           -- sev 2, sudden
    CASE WHEN schooling_cost_12m > 1000000 THEN 1 ELSE 0 END AS r_schooling_cost_high,                    -- sev 2, sudden
    CASE WHEN jobless_members > 0 AND income_pc_prev_12m > 0 AND income_pc_12m * 10 <= 7 * income_pc_prev_12m
         THEN 1 ELSE 0 END AS r_income_drop_job_loss,                                                     -- sev 1, sudden (kept 0.7)
    CASE WHEN jobless_members = 0 AND income_pc_prev_12m > 0 AND income_pc_12m * 10 <= 7 * income_pc_prev_12m
         THEN 1 ELSE 0 END AS r_income_drop,                                                              -- sev 2, sudden
    CASE WHEN disaster_loss_12m > 0 AND disaster_loss_12m * 10 >= 3 * income_prev_12m THEN 1 ELSE 0 END
      AS r_disaster_loss,                                                                                 -- sev 1, sudden (share 0.3)
    CASE WHEN members_labour = 0 THEN 1 ELSE 0 END AS r_no_labour,                                        -- sev 3, marker
    CASE WHEN members_ill > 0 THEN 1 ELSE 0 END AS r_serious_illness,                                     -- sev 3, marker
    CASE WHEN members_disabled > 0 THEN 1 ELSE 0 END AS r_disability,                                     -- sev 3, marker
    CASE WHEN lacks_school = 1 THEN 1 ELSE 0 END AS r_compulsory_schooling                                -- sev 2, marker
  FROM features f
),
decided AS (
  SELECT x.*,
    CASE WHEN r_tuopin_below_line = 1 THEN 'unstable'
         WHEN r_general_below_line = 1 THEN 'edge'
         WHEN r_stay_over_income + r_rigid_below_line + r_medical_selfpay_tuopin + r_medical_selfpay_general
              + r_hospital_stay_large + r_schooling_cost_high + r_income_drop_job_loss + r_income_drop
              + r_disaster_loss > 0 THEN 'sudden' END AS category,
    r_tuopin_below_line + r_stay_over_income + r_rigid_below_line + r_income_drop_job_loss + r_disaster_loss AS sev1,
    r_general_below_line + r_medical_selfpay_tuopin + r_medical_selfpay_general + r_hospital_stay_large
      + r_schooling_cost_high + r_income_drop + r_compulsory_schooling AS sev2,
    r_no_labour + r_serious_illness + r_disability AS sev3,
    -- income per person after rigid spending, rounded down
    CASE WHEN members > 0 THEN fdiv(income_12m - rigid_12m, members) ELSE income_12m - rigid_12m END AS left_pc
  FROM fired x
)
SELECT
  household_code,
  category,
  CASE WHEN sev1 > 0 THEN 1 WHEN sev2 > 0 THEN 2 ELSE 3 END AS severity,
  100 * sev1 + 40 * sev2 + 10 * sev3
    + CASE WHEN line > 0 AND left_pc < line THEN 200 * LEAST(line - left_pc, line) / line ELSE 0 END
    + CASE WHEN rigid_12m <= 0 THEN 0
           WHEN income_prev_12m <= 0 THEN 50
           ELSE 50 * LEAST(rigid_12m, income_prev_12m) / income_prev_12m END AS score,
  rtrim(CASE WHEN r_tuopin_below_line = 1 THEN 'tuopin_below_line,' ELSE '' END
     || CASE WHEN r_stay_over_income = 1 THEN 'stay_over_income,' ELSE '' END
     || CASE WHEN r_rigid_below_line = 1 THEN 'rigid_below_line,' ELSE '' END
     || CASE WHEN r_income_drop_job_loss = 1 THEN 'income_drop_job_loss,' ELSE '' END
     || CASE WHEN r_disaster_loss = 1 THEN 'disaster_loss,' ELSE '' END
     || CASE WHEN r_general_below_line = 1 THEN 'general_below_line,' ELSE '' END
     || CASE WHEN r_medical_selfpay_tuopin = 1 THEN 'medical_selfpay_tuopin,' ELSE '' END
     || CASE WHEN r_medical_selfpay_general = 1 THEN 'medical_selfpay_general,' ELSE '' END
     || CASE WHEN r_hospital_stay_large = 1 THEN 'hospital_stay_large,' ELSE '' END
     || CASE WHEN r_schooling_cost_high = 1 THEN 'schooling_cost_high,' ELSE '' END
     || CASE WHEN r_income_drop = 1 THEN 'income_drop,' ELSE '' END
     || CASE WHEN r_compulsory_schooling = 1 THEN 'compulsory_schooling,' ELSE '' END
     || CASE WHEN r_no_labour = 1 THEN 'no_labour,' ELSE '' END
     || CASE WHEN r_serious_illness = 1 THEN 'serious_illness,' ELSE '' END
     || CASE WHEN r_disability = 1 THEN 'disability,' ELSE '' END, ',') AS rules
FROM decided
WHERE category IS NOT NULL;
