-- Survey answers counted by month, survey, question, service, channel and age band, with the
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
        satisfied,
        count(*) as answers,
        sum(w) as sum_w,
        sum(w * w) as sum_w2
    from satisfaction_v
    group by all
)

select * from counted
order by month_start;
