-- The backlog: cases still open at the data's "as at" date, by service and how long they
-- have been open in working days (0 to 5, 6 to 10, 11 to 20, 21 to 40, over 40), and how
-- many are already past their service standard.
-- Grain: one row per service and age band.
-- Parameters: $services, $channels.
with open_cases as (
    select
        c.service,
        n.wd_index - o.wd_index as days_open,
        n.wd_index - o.wd_index > c.standard_days as past_standard
    from cases_v as c
    cross join as_at as a
    inner join calendar as o on c.opened_on = o.date
    inner join calendar as n on a.as_at_date = n.date
    where
        c.status = 'open'
        and in_scope(c.service, $services)
        and in_scope(c.channel, $channels)
),

banded as (
    select
        service,
        past_standard,
        case
            when days_open <= 5 then '0 to 5'
            when days_open <= 10 then '6 to 10'
            when days_open <= 20 then '11 to 20'
            when days_open <= 40 then '21 to 40'
            else 'over 40'
        end as age_band,
        case
            when days_open <= 5 then 1
            when days_open <= 10 then 2
            when days_open <= 20 then 3
            when days_open <= 40 then 4
            else 5
        end as band_order
    from open_cases
),

final as (
    select
        service,
        age_band,
        band_order,
        count(*) as open_cases,
        count(*) filter (where past_standard) as past_standard
    from banded
    group by service, age_band, band_order
)

select * from final
order by service, band_order
