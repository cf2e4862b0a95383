-- Closed cases counted by the month they closed, service, channel and working days taken
-- (a histogram), with whether each met its standard, needed several services or was
-- reopened. Every case measure reads this, medians and percentiles included (they are
-- exact from the histogram because working days are whole numbers).
create or replace table cases_closed_monthly as
with counted as (
    select
        date_trunc('month', closed_on)::date as month_start,
        service,
        channel,
        working_days_to_close,
        within_standard,
        is_multi_service,
        coalesce(reopened, false) as reopened,
        count(*) as cases
    from cases_v
    where is_resolved
    group by all
)

select * from counted
order by month_start;
