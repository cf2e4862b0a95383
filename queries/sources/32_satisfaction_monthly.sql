-- Survey answers counted by month, survey, question, service, channel, age band and whether
-- the respondent is older (65 or over) or disabled, with the
-- sums of weights and squared weights (for the weighted share and Kish's effective base).
-- The survey measures read this; the breakdown by resident group reads satisfaction_v.
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
