"""The team schema: each member's weekly aggregates behind row-level security, the publish
function members write through, and the report function, the only way to the team's numbers.

Revision ID: team_0001
Revises:
Create Date: 2026-11-23

Privacy is the database's: a member (a role in ``leadtime_member``) can select, insert,
update and delete only the rows whose ``member`` is its own role; TRUNCATE and every other
privilege stay with the owner. ``report()`` runs as its owner (SECURITY DEFINER, with a
pinned search_path) and returns, for a week with fewer publishers than the minimum group
(never below 3), no number at all, not even how many published; an activity, or a
category's minutes, that fewer than that many leads have time on is left out. The
database keeps no time of publication.
"""

from alembic import op

revision = "team_0001"
down_revision = None
branch_labels = None
depends_on = None

UPGRADE = r"""
DO $do$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'leadtime_member') THEN
        CREATE ROLE leadtime_member NOLOGIN;
    END IF;
END
$do$;

REVOKE ALL ON SCHEMA leadtime_team FROM PUBLIC;
GRANT USAGE ON SCHEMA leadtime_team TO leadtime_member;
GRANT SELECT ON leadtime_team.alembic_version TO leadtime_member;

CREATE TABLE leadtime_team.settings (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    min_group integer NOT NULL DEFAULT 5 CHECK (min_group BETWEEN 3 AND 1000)
);
INSERT INTO leadtime_team.settings DEFAULT VALUES;
GRANT SELECT ON leadtime_team.settings TO leadtime_member;

CREATE TABLE leadtime_team.weeks (
    member name NOT NULL DEFAULT current_user CHECK (member <> 'leadtime_member'),
    week date NOT NULL CHECK (extract(isodow FROM week) = 1),
    leadership double precision NOT NULL CHECK (leadership BETWEEN 0 AND 10080),
    hands_on double precision NOT NULL CHECK (hands_on BETWEEN 0 AND 10080),
    other double precision NOT NULL CHECK (other BETWEEN 0 AND 10080),
    unclassified double precision NOT NULL CHECK (unclassified BETWEEN 0 AND 10080),
    verdict text NOT NULL CHECK (verdict IN ('on-target', 'too-hands-on', 'too-hands-off')),
    CHECK (leadership + hands_on > 0),
    CHECK (leadership + hands_on + other + unclassified <= 10081),
    PRIMARY KEY (member, week)
);
-- The report reads a year of weeks from this index alone, in week order: no sort, no heap.
CREATE INDEX weeks_by_week ON leadtime_team.weeks (week)
    INCLUDE (leadership, hands_on, other, unclassified, verdict);

CREATE TABLE leadtime_team.activities (
    member name NOT NULL DEFAULT current_user,
    week date NOT NULL,
    category text NOT NULL
        CHECK (category IN ('leadership', 'hands-on', 'other', 'unclassified')),
    activity text NOT NULL CHECK (length(activity) BETWEEN 1 AND 100),
    minutes double precision NOT NULL CHECK (minutes BETWEEN 0 AND 10080),
    PRIMARY KEY (member, week, category, activity),
    FOREIGN KEY (member, week) REFERENCES leadtime_team.weeks (member, week)
        ON DELETE CASCADE ON UPDATE CASCADE
);

-- What the report reads of the activities: per week, category and activity, the minutes of
-- all members and how many have time on it, kept up to date by the triggers below, which run
-- as the owner. Members have no privilege on it. (Reading a year of a thousand leads'
-- activities row by row took the report ten times longer.)
CREATE TABLE leadtime_team.activity_totals (
    week date NOT NULL,
    category text NOT NULL,
    activity text NOT NULL,
    minutes numeric NOT NULL,
    leads integer NOT NULL,
    entries integer NOT NULL,
    PRIMARY KEY (week, category, activity)
);

CREATE FUNCTION leadtime_team.count_activities() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO leadtime_team.activity_totals AS t
            (week, category, activity, minutes, leads, entries)
        SELECT r.week, r.category, r.activity, -sum(r.minutes::numeric),
               -count(*) FILTER (WHERE r.minutes > 0), -count(*)
        FROM removed AS r
        GROUP BY r.week, r.category, r.activity
        ORDER BY r.week, r.category, r.activity
        ON CONFLICT (week, category, activity) DO UPDATE
        SET minutes = t.minutes + excluded.minutes, leads = t.leads + excluded.leads,
            entries = t.entries + excluded.entries;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO leadtime_team.activity_totals AS t
            (week, category, activity, minutes, leads, entries)
        SELECT r.week, r.category, r.activity, sum(r.minutes::numeric),
               count(*) FILTER (WHERE r.minutes > 0), count(*)
        FROM added AS r
        GROUP BY r.week, r.category, r.activity
        ORDER BY r.week, r.category, r.activity
        ON CONFLICT (week, category, activity) DO UPDATE
        SET minutes = t.minutes + excluded.minutes, leads = t.leads + excluded.leads,
            entries = t.entries + excluded.entries;
    END IF;
    DELETE FROM leadtime_team.activity_totals AS t WHERE t.entries <= 0;
    RETURN NULL;
END
$fn$;

CREATE FUNCTION leadtime_team.forget_totals() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    TRUNCATE leadtime_team.activity_totals;
    RETURN NULL;
END
$fn$;

CREATE TRIGGER count_added AFTER INSERT ON leadtime_team.activities
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION leadtime_team.count_activities();
CREATE TRIGGER count_removed AFTER DELETE ON leadtime_team.activities
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION leadtime_team.count_activities();
CREATE TRIGGER count_changed AFTER UPDATE ON leadtime_team.activities
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION leadtime_team.count_activities();
CREATE TRIGGER forget_totals AFTER TRUNCATE ON leadtime_team.activities
    FOR EACH STATEMENT EXECUTE FUNCTION leadtime_team.forget_totals();

ALTER TABLE leadtime_team.weeks ENABLE ROW LEVEL SECURITY;
ALTER TABLE leadtime_team.activities ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON leadtime_team.weeks TO leadtime_member
    USING (member = current_user) WITH CHECK (member = current_user);
CREATE POLICY own_rows ON leadtime_team.activities TO leadtime_member
    USING (member = current_user) WITH CHECK (member = current_user);
GRANT SELECT, INSERT, UPDATE, DELETE
    ON leadtime_team.weeks, leadtime_team.activities TO leadtime_member;

-- "2026-W47" -> its Monday; anything else (or a week 53 the year does not have) is refused.
CREATE FUNCTION leadtime_team.monday_of(label text) RETURNS date
LANGUAGE plpgsql IMMUTABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    monday date;
BEGIN
    IF label !~ '^[0-9]{4}-W[0-9]{2}$' THEN
        RAISE EXCEPTION 'not an ISO week: %', left(label, 20)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    monday := to_date(label, 'IYYY-"W"IW');
    IF to_char(monday, 'IYYY-"W"IW') <> label THEN
        RAISE EXCEPTION 'no such ISO week: %', label USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN monday;
END
$fn$;

-- One member's weeks from "from" to "to" (ISO labels), replaced by the document's weeks:
-- a week published again replaces the earlier one, and a week of the range that is not in
-- the document any more (no longer enough data) goes. Runs as the member (RLS applies).
CREATE FUNCTION leadtime_team.publish(document jsonb) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    first_monday date := leadtime_team.monday_of(document ->> 'from');
    last_monday date := leadtime_team.monday_of(document ->> 'to');
    published integer;
BEGIN
    IF first_monday IS NULL OR last_monday IS NULL OR last_monday < first_monday THEN
        RAISE EXCEPTION 'the document needs "from" and "to" weeks, oldest first'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF jsonb_typeof(document -> 'weeks') IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'the document needs a list of "weeks"'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (
        SELECT FROM jsonb_array_elements(document -> 'weeks') AS item
        WHERE leadtime_team.monday_of(item ->> 'week') NOT BETWEEN first_monday AND last_monday
    ) THEN
        RAISE EXCEPTION 'a week of the document lies outside "from" .. "to"'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- One publisher at a time: the totals the triggers keep are then updated in one order.
    PERFORM pg_advisory_xact_lock(3907497451429706164);  -- schema.PUBLISH_LOCK
    DELETE FROM leadtime_team.weeks AS w
    WHERE w.member = current_user AND w.week BETWEEN first_monday AND last_monday;
    INSERT INTO leadtime_team.weeks
        (member, week, leadership, hands_on, other, unclassified, verdict)
    SELECT current_user,
           leadtime_team.monday_of(item ->> 'week'),
           (item -> 'minutes' ->> 'leadership')::double precision,
           (item -> 'minutes' ->> 'hands-on')::double precision,
           (item -> 'minutes' ->> 'other')::double precision,
           (item -> 'minutes' ->> 'unclassified')::double precision,
           item ->> 'verdict'
    FROM jsonb_array_elements(document -> 'weeks') AS item;
    GET DIAGNOSTICS published = ROW_COUNT;
    INSERT INTO leadtime_team.activities (member, week, category, activity, minutes)
    SELECT current_user,
           leadtime_team.monday_of(item ->> 'week'),
           category.key,
           label.key,
           (label.value #>> '{}')::double precision
    FROM jsonb_array_elements(document -> 'weeks') AS item,
         jsonb_each(item -> 'activities') AS category,
         jsonb_each(category.value) AS label;
    RETURN published;
END
$fn$;

-- The team's numbers, week by week from first_week to last_week (at most 5,200 weeks):
-- for a week with at least min_group publishers (never fewer than 3), how many published,
-- the 25th, 50th and 75th percentiles of their leadership shares, how many are on target,
-- too hands-on and too hands-off, and the mean minutes per lead of each category and
-- activity that at least min_group leads have time on. For any other week: only the week.
CREATE FUNCTION leadtime_team.report(first_week date, last_week date)
RETURNS TABLE (
    week date,
    min_group integer,
    leads integer,
    p25_share double precision,
    median_share double precision,
    p75_share double precision,
    on_target integer,
    too_hands_on integer,
    too_hands_off integer,
    minutes jsonb,
    activities jsonb
)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET work_mem = '32MB'
AS $fn$
#variable_conflict use_column
DECLARE
    k integer;
    first_monday date := date_trunc('week', first_week)::date;
    last_monday date := date_trunc('week', last_week)::date;
BEGIN
    IF first_monday IS NULL OR last_monday IS NULL OR last_monday < first_monday
            OR last_monday - first_monday > 5200 * 7 THEN
        RAISE EXCEPTION 'the report covers 1 to 5,200 weeks, oldest first'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT greatest(s.min_group, 3) INTO k FROM leadtime_team.settings AS s;
    k := coalesce(k, 5);
    RETURN QUERY
    WITH per_week AS (
        SELECT w.week AS monday,
               count(*)::integer AS publishers,
               percentile_cont(ARRAY[0.25, 0.5, 0.75]::double precision[]) WITHIN GROUP
                   (ORDER BY w.leadership / (w.leadership + w.hands_on)) AS shares,
               (count(*) FILTER (WHERE w.verdict = 'on-target'))::integer AS on_target_n,
               (count(*) FILTER (WHERE w.verdict = 'too-hands-on'))::integer AS hands_on_n,
               (count(*) FILTER (WHERE w.verdict = 'too-hands-off'))::integer AS hands_off_n,
               sum(w.leadership) AS leadership_sum,
               sum(w.hands_on) AS hands_on_sum,
               sum(w.other) AS other_sum,
               sum(w.unclassified) AS unclassified_sum,
               count(*) FILTER (WHERE w.leadership > 0) AS leadership_leads,
               count(*) FILTER (WHERE w.hands_on > 0) AS hands_on_leads,
               count(*) FILTER (WHERE w.other > 0) AS other_leads,
               count(*) FILTER (WHERE w.unclassified > 0) AS unclassified_leads
        FROM leadtime_team.weeks AS w
        WHERE w.week BETWEEN first_monday AND last_monday
        GROUP BY w.week
        HAVING count(*) >= k
    ),
    labels AS (
        SELECT t.week AS monday, t.category AS category_name, t.activity AS label,
               t.minutes / p.publishers AS mean_minutes
        FROM leadtime_team.activity_totals AS t
        JOIN per_week AS p ON p.monday = t.week
        WHERE t.leads >= k
    ),
    categories AS (
        SELECT l.monday, l.category_name,
               jsonb_object_agg(l.label, l.mean_minutes) AS labels_of_category
        FROM labels AS l
        GROUP BY l.monday, l.category_name
    ),
    mix AS (
        SELECT c.monday, jsonb_object_agg(c.category_name, c.labels_of_category) AS by_category
        FROM categories AS c
        GROUP BY c.monday
    )
    SELECT d.day::date,
           k,
           p.publishers,
           p.shares[1],
           p.shares[2],
           p.shares[3],
           p.on_target_n,
           p.hands_on_n,
           p.hands_off_n,
           CASE WHEN p.monday IS NOT NULL THEN jsonb_strip_nulls(jsonb_build_object(
               'leadership', CASE WHEN p.leadership_leads >= k
                                  THEN p.leadership_sum / p.publishers END,
               'hands-on', CASE WHEN p.hands_on_leads >= k
                                THEN p.hands_on_sum / p.publishers END,
               'other', CASE WHEN p.other_leads >= k THEN p.other_sum / p.publishers END,
               'unclassified', CASE WHEN p.unclassified_leads >= k
                                    THEN p.unclassified_sum / p.publishers END
           )) END,
           CASE WHEN p.monday IS NOT NULL THEN coalesce(m.by_category, '{}'::jsonb) END
    FROM generate_series(first_monday, last_monday, interval '7 days') AS d (day)
    LEFT JOIN per_week AS p ON p.monday = d.day::date
    LEFT JOIN mix AS m ON m.monday = d.day::date
    ORDER BY d.day;
END
$fn$;

REVOKE ALL ON FUNCTION leadtime_team.count_activities() FROM PUBLIC;
REVOKE ALL ON FUNCTION leadtime_team.forget_totals() FROM PUBLIC;
REVOKE ALL ON FUNCTION leadtime_team.monday_of(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION leadtime_team.publish(jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION leadtime_team.report(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION leadtime_team.monday_of(text) TO leadtime_member;
GRANT EXECUTE ON FUNCTION leadtime_team.publish(jsonb) TO leadtime_member;
GRANT EXECUTE ON FUNCTION leadtime_team.report(date, date) TO leadtime_member;
"""

DOWNGRADE = r"""
DROP FUNCTION leadtime_team.report(date, date);
DROP FUNCTION leadtime_team.publish(jsonb);
DROP FUNCTION leadtime_team.monday_of(text);
DROP TABLE leadtime_team.activities;
DROP FUNCTION leadtime_team.forget_totals();
DROP FUNCTION leadtime_team.count_activities();
DROP TABLE leadtime_team.activity_totals;
DROP TABLE leadtime_team.weeks;
DROP TABLE leadtime_team.settings;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
