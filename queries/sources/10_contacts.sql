-- Contacts as the measures read them: the contract columns plus derived flags. A view, not
-- a copy: the marts below read it once each at load, and a copy of every contact cost a
-- quarter of the load's time at a large council's scale (contacts is in date order, row group by
-- row group: ingest/load.py).
-- digital: made on a channel the council counts as digital (its digital_channels setting,
-- by default web and app, in the digital_channels table) or with staff help online
-- (assisted digital): the GOV.UK digital take-up definition.
create or replace view contacts_v as
select
    c.*,
    c.received_at::date as received_on,
    date_trunc('month', c.received_at)::date as month_start,
    extract(hour from c.received_at) as hour_of_day,
    isodow(c.received_at) as weekday,
    c.channel in (select d.channel from digital_channels as d)
    or coalesce(c.assisted_digital, false) as is_digital,
    c.channel = 'phone' as is_call,
    c.channel = 'phone' and coalesce(c.abandoned, false) as is_abandoned,
    c.channel = 'phone'
    and not coalesce(c.abandoned, false)
    and c.wait_seconds <= 60 as answered_within_60s
from contacts as c;

-- Contacts counted by month, service, channel and site: every contact measure adds these
-- up, so a filter change reads thousands of rows rather than millions.
create or replace table contacts_monthly as
with counted as (
    select
        month_start,
        service,
        channel,
        site,
        count(*) as contacts,
        count(*) filter (where is_digital) as digital,
        count(*) filter (where is_call) as calls,
        count(*) filter (where answered_within_60s) as answered_within_60s,
        count(*) filter (where is_abandoned) as abandoned,
        count(*) filter (
            where is_call and not is_abandoned and wait_seconds is not null
        ) as answered_with_wait,
        sum(wait_seconds) filter (
            where is_call and not is_abandoned and wait_seconds is not null
        ) as answered_wait_seconds,
        count(*) filter (
            where channel = 'face_to_face' and wait_seconds is not null
        ) as visits_with_wait,
        sum(wait_seconds) filter (
            where channel = 'face_to_face' and wait_seconds is not null
        ) as visit_wait_seconds,
        count(avoidable) as avoidable_classified,
        count(*) filter (where avoidable) as avoidable,
        count(resolved_first_contact) as resolution_recorded,
        count(*) filter (where resolved_first_contact) as resolved_first_contact
    from contacts_v
    group by all
)

select * from counted
order by month_start;

-- Contacts counted by month, weekday (1 = Monday) and hour, service and channel: the demand
-- heatmap reads this for staffing.
create or replace table contacts_by_hour as
with counted as (
    select
        month_start,
        weekday,
        hour_of_day,
        service,
        channel,
        count(*) as contacts
    from contacts_v
    group by all
)

select * from counted
order by month_start;

-- Avoidable contacts counted by month, service, channel and reason (the reasons chart:
-- queries/access/avoidable_contact_by_service_and_reason.sql; how many were classified at all
-- is in contacts_monthly).
create or replace table contacts_avoidable as
with counted as (
    select
        month_start,
        service,
        channel,
        coalesce(avoidable_reason, 'Reason not recorded') as reason,
        count(*) as avoidable
    from contacts_v
    where avoidable
    group by all
)

select * from counted
order by month_start;

-- The same counts in long form (one row per count), so one question file can read any of
-- them by name: the catalogue binds which count is the numerator and which the denominator.
create or replace table contact_counts as
with long as (
    unpivot contacts_monthly
    on contacts, digital, calls, answered_within_60s, abandoned, answered_with_wait,
    answered_wait_seconds, visits_with_wait, visit_wait_seconds, avoidable_classified,
    avoidable, resolution_recorded, resolved_first_contact
    into name count_name value amount
)

select * from long
where amount is not null and amount != 0
order by month_start, count_name;
