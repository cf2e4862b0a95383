-- Survey answers counted by month, survey, question, service, channel, age band and whether
-- the respondent is older (65 or over) or disabled, with the
-- sums of weights and squared weights (for the weighted share and Kish's effective base).
-- The survey measures read this; the breakdowns by resident group read the table below.
create or replace table satisfaction_monthly as
with counted as (
    select
        date_trunc('month', responded_on)::date as month_start,
        survey,
        question,
        service,
        channel,
        age_band,
        coalesce(age_band in ('65-74', '75+') or disability, false) as older_or_disabled,
        satisfied,
        count(*) as answers,
        sum(w) as sum_w,
        sum(w * w) as sum_w2
    from satisfaction_v
    group by all
)

select * from counted
order by month_start;

-- Survey answers by resident group in long form (one row per answer and dimension: age,
-- disability, ethnicity, first language, deprivation), counted by month, survey, question,
-- service, channel and whether satisfied, with the sums of weights and squared weights: the
-- equality breakdowns (queries/understanding/satisfaction_by_resident_group.sql and
-- resident_group_bases_by_service.sql) add these up over their twelve months rather than
-- unpivoting every answer on every filter change.
create or replace table satisfaction_groups_monthly as
with answers as (
    select
        s.survey,
        s.question,
        s.service,
        s.channel,
        s.satisfied,
        s.w,
        s.age,
        s.disability_group as disability,
        s.ethnicity_group as ethnicity,
        s.first_language,
        s.deprivation,
        date_trunc('month', s.responded_on)::date as month_start
    from satisfaction_groups_v as s
),

long as (
    unpivot answers
    on age, disability, ethnicity, first_language, deprivation
    into name dimension value resident_group
),

counted as (
    select
        month_start,
        survey,
        question,
        service,
        channel,
        dimension,
        resident_group,
        satisfied,
        count(*) as answers,
        sum(w) as sum_w,
        sum(w * w) as sum_w2
    from long
    group by all
)

select * from counted
order by month_start;
